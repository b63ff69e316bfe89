import { endpointUrl } from "./endpoint-url.js";
import { $, logLine } from "./page.js";
import { refusedText, withToken } from "./token.js";

// One countdown per Start: the server sends from..1 and closes with 1000; no reconnect, by design.
let socket = null;

const log = (text, kind) => logLine($("log"), text, kind);

function status(state, text) {
  $("status").className = `status ${state}`;
  $("status").textContent = text;
}

$("start-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (socket) socket.close(1000);
  $("log").replaceChildren();
  const query = new URLSearchParams({ from: $("from").value, intervalMs: $("interval").value });
  const started = performance.now();
  socket = new WebSocket(endpointUrl(`countdown?${query}`), withToken(["countdown.v1"]));
  let opened = false;
  socket.addEventListener("open", () => { opened = true; status("connected", "counting"); });
  socket.addEventListener("message", (m) => {
    $("tick").textContent = m.data;
    log(`${m.data}   (+${Math.round(performance.now() - started)} ms)`);
  });
  socket.addEventListener("close", (c) => {
    const ok = c.code === 1000;
    status(ok ? "closed done" : "closed", opened ? `closed ${c.code} ${c.reason}` : "refused");
    log(opened ? `closed ${c.code}${c.reason ? ": " + c.reason : ""}` : refusedText(),
      ok ? "in" : "err");
  });
});
