import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";
import { $, logLine, showError, hideError } from "./page.js";
import { refusedText } from "./token.js";

// /broadcast, as the Twisted demo's page: what you send and what everyone sends, in the server's
// order, in one log. Text is shown as text; binary as its size.
const url = endpointUrl("broadcast");
const socket = new ReconnectingSocket(url, { protocols: ["broadcast.v1"] });

const log = (text, kind) => logLine($("log"), text, kind);

showStatus(socket, $("status"));
socket.addEventListener("status", (e) => {
  const { status, code, reason } = e.detail;
  $("send").disabled = status !== "connected";
  if (status === "refused") showError($("error"), refusedText());
  else hideError($("error"));
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
