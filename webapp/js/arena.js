import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";
import { $, logLine, showError as showErrorIn, hideError } from "./page.js";
import { refusedText } from "./token.js";

// The arena's client: applies the server's snapshot and deltas to a local copy of what this player
// can see, and draws it at the display's frame rate, easing each blob toward its latest position
// (the server ticks 20 times a second; the screen refreshes 60 or more). Steering is sent at most
// every AIM_EVERY_MS and only when it changed: the server drops commands past its rate.

const AIM_EVERY_MS = 50;
const EASING = 0.35; // share of the remaining distance a drawn blob covers per frame
const SAY_SHOWN_MS = 4000;
const LIST_EVERY_MS = 250; // the text lists need not follow every tick
// How far a player sees (server: 500 world units each way plus 4 per unit of radius). The canvas
// shows the middle ZOOM of it: blobs big enough to read, and what is sent beyond the edge is known
// a moment before it scrolls in.
const viewHalfSide = (r) => 500 + 4 * r;
const ZOOM = 0.6;

const arenaName = new URLSearchParams(location.search).get("arena") || "main";
$("arena-name").textContent = arenaName;

const seen = { you: -1, world: { w: 4000, h: 4000 }, players: new Map(), pellets: new Map() };
let playingAs = null; // the name to join with again after a reconnection; null once eaten or before Play
let aim = { dx: 0, dy: 0 };
let aimSent = { dx: 0, dy: 0 };
let listsDrawnAt = 0;

const socket = new ReconnectingSocket(endpointUrl(`arena/${encodeURIComponent(arenaName)}`), { protocols: ["arena.v1"] });
showStatus(socket, $("status"));
socket.addEventListener("status", (e) => {
  const connected = e.detail.status === "connected";
  $("join").disabled = !connected;
  if (!connected) setPlaying(false);
  if (e.detail.status === "refused") showError(refusedText());
});
socket.addEventListener("open", () => {
  forget();
  if (playingAs) socket.send(`join ${playingAs}`); // a dropped connection re-joins under the same name
});
socket.addEventListener("message", (e) => {
  let message;
  try {
    message = JSON.parse(e.detail.data);
  } catch {
    showError("the server sent something that is not JSON");
    return;
  }
  switch (message.type) {
    case "snapshot": return applySnapshot(message);
    case "delta": return applyDelta(message);
    case "eaten": return eaten(message.by);
    case "say": return said(message);
    case "leaderboard": return drawLeaderboard(message.top);
    case "error": return showError(`${message.payload.message} (${message.payload.code})`);
    default: return undefined; // a newer server's message this page does not know: ignored
  }
});

const showError = (text) => showErrorIn($("error"), text);

function forget() {
  seen.you = -1;
  seen.players.clear();
  seen.pellets.clear();
}

function setPlaying(playing) {
  $("join-form").hidden = playing;
  $("boost").disabled = !playing;
  $("say-send").disabled = !playing;
}

function addPlayer(p) {
  const known = seen.players.get(p.id);
  seen.players.set(p.id, { ...p, drawX: p.x, drawY: p.y, drawR: p.r, said: known?.said, saidAt: known?.saidAt });
}

function applySnapshot(m) {
  forget();
  seen.you = m.you;
  seen.world = m.world;
  m.players.forEach(addPlayer);
  m.pellets.forEach(([id, x, y]) => seen.pellets.set(id, { x, y }));
  hideError($("error"));
  $("eaten").hidden = true;
  setPlaying(true);
}

function applyDelta(m) {
  m.players.forEach(addPlayer);
  m.pellets.forEach(([id, x, y]) => seen.pellets.set(id, { x, y }));
  for (const [id, x, y, r] of m.moved) {
    const p = seen.players.get(id);
    if (p) Object.assign(p, { x, y, r });
  }
  for (const id of m.removed) {
    seen.players.delete(id);
    seen.pellets.delete(id);
  }
}

function eaten(by) {
  forget();
  playingAs = null;
  setPlaying(false);
  $("eaten").textContent = `Eaten by ${by}. Press Play to go again.`;
  $("eaten").hidden = false;
}

function said({ id, name, text }) {
  logLine($("log"), `${name}: ${text}`);
  const p = seen.players.get(id);
  if (p) Object.assign(p, { said: text, saidAt: performance.now() });
}

function drawLeaderboard(top) {
  const list = $("leaderboard");
  list.replaceChildren(...top.map(({ name, mass }) => {
    const item = document.createElement("li");
    item.textContent = `${name} · ${mass}`;
    if (name === playingAs) item.className = "me";
    return item;
  }));
}

function drawLists(me) {
  const others = [...seen.players.values()].filter((p) => p.id !== seen.you)
    .map((p) => ({ name: p.name, distance: Math.round(Math.hypot(p.x - me.x, p.y - me.y)) }))
    .sort((a, b) => a.distance - b.distance).slice(0, 10);
  $("in-view").replaceChildren(...others.map(({ name, distance }) => {
    const item = document.createElement("li");
    item.textContent = `${name} · ${distance} away`;
    return item;
  }));
  $("you").textContent = `You: ${me.name} · size ${me.r} · at (${me.x}, ${me.y})`;
}

$("join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  hideError($("error"));
  const name = $("name").value.trim();
  if (socket.send(`join ${name}`)) playingAs = name;
});

$("say-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("say").value.trim();
  if (text && socket.send(`say ${text}`)) $("say").value = "";
});

const boost = () => seen.you >= 0 && socket.send("boost");
$("boost").addEventListener("click", boost);
document.addEventListener("keydown", (e) => {
  if (e.code === "Space" && !(e.target instanceof HTMLInputElement)) {
    e.preventDefault();
    boost();
  }
});

// Pointer events cover the mouse, a pen and a finger alike. The aim is the pointer's offset from
// the centre (where this player is drawn), full speed from a third of the canvas away.
const canvas = $("world");
canvas.addEventListener("pointermove", steer);
canvas.addEventListener("pointerdown", steer);

function steer(e) {
  const box = canvas.getBoundingClientRect();
  const full = Math.min(box.width, box.height) / 3;
  let dx = (e.clientX - box.left - box.width / 2) / full;
  let dy = (e.clientY - box.top - box.height / 2) / full;
  const length = Math.hypot(dx, dy);
  if (length > 1) {
    dx /= length;
    dy /= length;
  }
  aim = { dx: Math.round(dx * 100) / 100, dy: Math.round(dy * 100) / 100 };
}

setInterval(() => {
  if (seen.you < 0 || (aim.dx === aimSent.dx && aim.dy === aimSent.dy)) return;
  if (socket.send(`aim ${aim.dx} ${aim.dy}`)) aimSent = aim;
}, AIM_EVERY_MS);

const hue = (id) => (id * 137) % 360; // spreads neighbouring ids over the colour wheel

function draw(now) {
  requestAnimationFrame(draw);
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth;
  const cssHeight = Math.round(cssWidth * (cssWidth < 600 ? 1 : 2 / 3)); // square on a phone
  if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
    canvas.width = Math.round(cssWidth * ratio);
    canvas.height = Math.round(cssHeight * ratio);
  }
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  for (const p of seen.players.values()) {
    p.drawX += (p.x - p.drawX) * EASING;
    p.drawY += (p.y - p.drawY) * EASING;
    p.drawR += (p.r - p.drawR) * EASING;
  }
  const me = seen.players.get(seen.you);
  if (!me) {
    ctx.fillStyle = "#5b6673";
    ctx.font = `${16 * ratio}px system-ui, sans-serif`;
    ctx.textAlign = "center";
    ctx.fillText(playingAs ? "joining…" : "Choose a name and press Play", width / 2, height / 2);
    return;
  }
  if (now - listsDrawnAt > LIST_EVERY_MS) {
    listsDrawnAt = now;
    drawLists(me);
  }
  // The larger side spans ZOOM of the view the server sends: nothing drawn lies outside what is known.
  const scale = Math.max(width, height) / (2 * ZOOM * viewHalfSide(me.drawR));
  const sx = (x) => width / 2 + (x - me.drawX) * scale;
  const sy = (y) => height / 2 + (y - me.drawY) * scale;
  ctx.strokeStyle = "#eef0f3";
  ctx.lineWidth = 1;
  for (let g = 0; g <= Math.max(seen.world.w, seen.world.h); g += 100) {
    ctx.beginPath(); ctx.moveTo(sx(g), sy(0)); ctx.lineTo(sx(g), sy(seen.world.h)); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(sx(0), sy(g)); ctx.lineTo(sx(seen.world.w), sy(g)); ctx.stroke();
  }
  ctx.strokeStyle = "#5b6673";
  ctx.lineWidth = 2 * ratio;
  ctx.strokeRect(sx(0), sy(0), seen.world.w * scale, seen.world.h * scale);
  for (const [id, { x, y }] of seen.pellets) {
    ctx.fillStyle = `hsl(${hue(id)} 70% 55%)`;
    ctx.beginPath(); ctx.arc(sx(x), sy(y), Math.max(2, 3 * scale), 0, 2 * Math.PI); ctx.fill();
  }
  const bySize = [...seen.players.values()].sort((a, b) => a.drawR - b.drawR); // the larger drawn over the smaller
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const p of bySize) {
    const r = p.drawR * scale;
    ctx.fillStyle = `hsl(${hue(p.id)} 65% 50%)`;
    ctx.strokeStyle = p.id === seen.you ? "#1d232b" : `hsl(${hue(p.id)} 65% 35%)`;
    ctx.lineWidth = (p.id === seen.you ? 3 : 2) * ratio;
    ctx.beginPath(); ctx.arc(sx(p.drawX), sy(p.drawY), r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    // A name that fits is written inside its blob; a small blob's name goes under it.
    ctx.font = `600 ${Math.max(12 * ratio, r / 2)}px system-ui, sans-serif`;
    const inside = ctx.measureText(p.name).width < 1.8 * r;
    ctx.fillStyle = inside ? "#fff" : "#1d232b";
    ctx.fillText(p.name, sx(p.drawX), inside ? sy(p.drawY) : sy(p.drawY) + r + 9 * ratio);
    if (p.said && now - p.saidAt < SAY_SHOWN_MS) {
      ctx.fillStyle = "#1d232b";
      ctx.font = `${13 * ratio}px system-ui, sans-serif`;
      ctx.fillText(p.said.length > 40 ? `${p.said.slice(0, 39)}…` : p.said, sx(p.drawX), sy(p.drawY) - r - 10 * ratio);
    }
  }
}
requestAnimationFrame(draw);
