import { endpointUrl } from "./endpoint-url.js";
import { $, logLine } from "./page.js";

// Echo client for any WebSocket URL. Echoes come back in order, so each reply is matched with the
// oldest message still waiting and its round-trip time shown; a burst sends N at once and reports
// the median and 99th percentile.
const url = $("url"), status = $("status"), log = $("log");
const waiting = []; // send times (performance.now()) of messages not yet echoed, oldest first
let socket;
let burst = null; // {remaining, rtts}
// echo.html?route=NAME talks to a configured route instead, and echo.html?service=hello or =ticker
// to those services: they need not answer one for one, so no round-trip times are shown there.
const params = new URLSearchParams(location.search);
const SERVICES = {
  hello: ["Hello", "hello: send a name, get Hello NAME! back (the Python websockets lecture's first example)."],
  ticker: ["Ticker", "ticker: the server sends Hello! to everyone connected every 3 s, from one timer; it reads nothing."],
};
const service = Object.hasOwn(SERVICES, params.get("service")) ? params.get("service") : null;
const route = params.get("route") ?? service;
url.value = endpointUrl(service ?? (route ? `run/${encodeURIComponent(route)}` : "echo"));
if (service) {
  document.title = `${SERVICES[service][0]} - Socketworks`;
  $("title").textContent = SERVICES[service][0];
  $("about").textContent = SERVICES[service][1];
  $("burst-form").hidden = true;
} else if (route) {
  document.title = `${route} - Socketworks`;
  $("title").textContent = `Route ${route}`;
  $("about").textContent = `run/${route}: each message you send is a line of the program's input;`
    + " each line it writes comes back as a message.";
  $("burst-form").hidden = true;
}

const show = (kind, text) => logLine(log, text, kind);

function setState(state, label) {
  status.className = `status ${state}`;
  status.textContent = label;
  const open = state === "connected";
  $("connect").disabled = open;
  $("disconnect").disabled = !open;
  $("send").disabled = !open;
  $("burst").disabled = !open;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
}

function received(data) {
  if (route) {
    show("in", `< ${typeof data === "string" ? data : `(${data.byteLength} bytes binary)`}`);
    return;
  }
  const rtt = waiting.length ? performance.now() - waiting.shift() : NaN;
  if (burst) {
    burst.rtts.push(rtt);
    if (--burst.remaining === 0) {
      const sorted = burst.rtts.sort((a, b) => a - b);
      $("burst-result").textContent = `${sorted.length} echoed: p50 ${percentile(sorted, 50).toFixed(2)} ms, `
        + `p99 ${percentile(sorted, 99).toFixed(2)} ms, in ${(performance.now() - burst.started).toFixed(0)} ms`;
      burst = null;
    }
    return;
  }
  const what = typeof data === "string" ? data : `(${data.byteLength} bytes binary)`;
  show("in", `< ${what}   ${rtt.toFixed(2)} ms`);
}

$("connect").addEventListener("click", () => {
  waiting.length = 0;
  socket = new WebSocket(url.value);
  socket.binaryType = "arraybuffer";
  setState("connecting", "connecting");
  let opened = false;
  socket.addEventListener("open", () => { opened = true; setState("connected", "connected"); });
  socket.addEventListener("message", (e) => received(e.data));
  socket.addEventListener("close", (e) => {
    setState(opened ? "closed" : "refused", opened ? "not connected" : "refused");
    show("err", opened ? `closed ${e.code}${e.reason ? ": " + e.reason : ""}`
      : "could not connect: the server is down or refuses this page's origin");
  });
});
$("disconnect").addEventListener("click", () => socket.close(1000));
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("text").value;
  const data = $("binary").checked ? new TextEncoder().encode(text) : text;
  if (!route) waiting.push(performance.now());
  socket.send(data);
  show("out", $("binary").checked ? `> (${data.byteLength} bytes binary)` : `> ${text}`);
  $("text").value = "";
});
$("burst-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const count = Number($("burst-count").value);
  burst = { remaining: count, rtts: [], started: performance.now() };
  $("burst-result").textContent = "sending…";
  for (let i = 0; i < count; i++) {
    waiting.push(performance.now());
    socket.send(`burst ${i}`);
  }
});
