import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";

// /broadcast, as the Twisted demo's page: what you send and what everyone sends, in the server's
// order, in one log. Text is shown as text; binary as its size.
const $ = (id) => document.getElementById(id);
const url = endpointUrl("broadcast");
const socket = new ReconnectingSocket(url);

function log(text, kind = "in") {
  const line = document.createElement("div");
  line.className = kind;
  line.textContent = text;
  $("log").append(line);
  $("log").scrollTop = $("log").scrollHeight;
}

showStatus(socket, $("status"));
socket.addEventListener("status", (e) => {
  const { status, code, reason } = e.detail;
  $("send").disabled = status !== "connected";
  $("error").hidden = status !== "refused";
  $("error").textContent = "cannot connect: the server is down or refuses this page's origin";
  if (code && (status === "reconnecting" || status === "closed")) {
    log(`Connection closed (code = ${code}, reason = '${reason}')`, "err");
  }
});
socket.addEventListener("open", () => log(`Connected to ${url}`, "out"));
socket.addEventListener("message", (e) => {
  const data = e.detail.data;
  log(`Got: ${typeof data === "string" ? data : `(binary, ${data.byteLength} bytes)`}`);
});
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const message = $("text").value;
  if (socket.send(message)) log(`Sent: ${message}`, "out");
});
