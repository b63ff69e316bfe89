import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";

// /broadcast: every message from anyone, in the server's order; text shown as text, binary as a size.
const $ = (id) => document.getElementById(id);
const socket = new ReconnectingSocket(endpointUrl("broadcast"));
showStatus(socket, $("status"));
socket.addEventListener("status", (e) => {
  $("send").disabled = e.detail.status !== "connected";
  $("error").hidden = e.detail.status !== "refused";
  $("error").textContent = "cannot connect: the server is down or refuses this page's origin";
});
socket.addEventListener("message", (e) => {
  const line = document.createElement("div");
  line.className = "in";
  line.textContent = typeof e.detail.data === "string" ? e.detail.data : `(binary, ${e.detail.data.byteLength} bytes)`;
  $("log").append(line);
  $("log").scrollTop = $("log").scrollHeight;
});
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (socket.send($("text").value)) $("text").value = "";
});
