import { endpointUrl } from "./endpoint-url.js";

const $ = (id) => document.getElementById(id);
const url = $("url"), status = $("status"), log = $("log");
let socket;
url.value = endpointUrl("echo");

function show(kind, text) {
  const line = document.createElement("div");
  line.className = kind;
  line.textContent = text; // never innerHTML: echoed text is untrusted
  log.append(line);
  log.scrollTop = log.scrollHeight;
}

function setState(state, label) {
  status.className = `status ${state}`;
  status.textContent = label;
  const open = state === "connected";
  $("connect").disabled = open;
  $("disconnect").disabled = !open;
  $("send").disabled = !open;
}

$("connect").addEventListener("click", () => {
  socket = new WebSocket(url.value);
  socket.binaryType = "arraybuffer";
  socket.addEventListener("open", () => setState("connected", "connected"));
  socket.addEventListener("message", (e) =>
    show("in", typeof e.data === "string" ? `< ${e.data}` : `< (${e.data.byteLength} bytes binary)`));
  socket.addEventListener("error", () => show("err", "connection error (refused origin or server down)"));
  socket.addEventListener("close", (e) => {
    setState("closed", "not connected");
    show("err", `closed ${e.code}${e.reason ? ": " + e.reason : ""}`);
  });
});
$("disconnect").addEventListener("click", () => socket.close(1000));
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  socket.send($("text").value);
  show("out", `> ${$("text").value}`);
  $("text").value = "";
});
