import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";
import { $, showError as showErrorIn, hideError } from "./page.js";

// /totals in JSON mode: every update carries seq, so the chart never goes back in time.
const points = []; // [time ms, total], the last MAX_POINTS updates
const MAX_POINTS = 300;
let lastSeq = -1;

const socket = new ReconnectingSocket(endpointUrl("totals"), { protocols: ["totals.json"] });
showStatus(socket, $("status"));
socket.addEventListener("status", (e) => {
  $("add").disabled = e.detail.status !== "connected";
  if (e.detail.status === "refused") showError("cannot connect: the server is down or refuses this page's origin");
});
socket.addEventListener("message", (e) => {
  const message = JSON.parse(e.detail.data);
  if (message.type === "error") {
    showError(`${message.payload.message} (${message.payload.code})`);
  } else if (message.type === "total" && message.seq > lastSeq) {
    lastSeq = message.seq;
    $("total").textContent = String(message.total);
    $("seq").textContent = `after ${message.seq} addition${message.seq === 1 ? "" : "s"}`;
    points.push([Date.now(), message.total]);
    if (points.length > MAX_POINTS) points.shift();
    draw();
  }
});

const showError = (text) => showErrorIn($("error"), text);

$("add-form").addEventListener("submit", (e) => {
  e.preventDefault();
  hideError($("error"));
  // Sent as typed, so the server's exact-integer rules decide (a number beyond 2^53 stays exact).
  socket.send(`{"add": ${$("amount").value.trim() || "null"}}`);
  $("amount").select();
});

function draw() {
  const canvas = $("chart");
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const pad = 36;
  ctx.clearRect(0, 0, width, height);
  if (points.length === 0) return;
  const totals = points.map((p) => p[1]);
  let low = Math.min(...totals, 0), high = Math.max(...totals, 0);
  if (low === high) high = low + 1;
  const t0 = points[0][0], t1 = Math.max(points[points.length - 1][0], t0 + 1);
  const x = (t) => pad + (width - 2 * pad) * (t - t0) / (t1 - t0);
  const y = (v) => height - pad - (height - 2 * pad) * (v - low) / (high - low);
  ctx.strokeStyle = "#dde1e6";
  ctx.beginPath(); ctx.moveTo(pad, y(0)); ctx.lineTo(width - pad, y(0)); ctx.stroke();
  ctx.fillStyle = "#5b6673";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(String(high), 2, y(high) + 4);
  ctx.fillText(String(low), 2, y(low) + 4);
  ctx.strokeStyle = "#2557d6";
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([t, v], i) => {
    if (i === 0) ctx.moveTo(x(t), y(v)); else { ctx.lineTo(x(t), y(points[i - 1][1])); ctx.lineTo(x(t), y(v)); }
  });
  ctx.stroke();
}
