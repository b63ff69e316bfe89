// The admin page: live figures from /admin/stream, charts of the last 15 minutes (uPlot, from the
// WAR), and the HTTP API's actions, all with one API key holding the right admin (and the rights of
// the calls used). The key stays in this tab's session storage, never in a URL: the stream gets it as
// a subprotocol entry, the API as an Authorization header. Every figure goes into
// the page as text: room names, users and reasons come from clients.

import { $, showError, hideError } from "./page.js";
import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket } from "./reconnecting-socket.js";

const KEY = "socketworks.adminKey";
/** Points a chart keeps: 15 minutes at the stream's one snapshot every 2 s. */
const POINTS = 450;

let socket = null;
let previous = null; // the last snapshot: rates are the difference over the time between two
const series = { time: [], open: [], received: [], sent: [] };
let connectionsChart = null;
let ratesChart = null;

function key() {
  return sessionStorage.getItem(KEY) || "";
}

function cell(row, text, numeric = false) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "n";
  row.append(td);
  return td;
}

function fill(tbody, rows, render) {
  tbody.replaceChildren(...rows.map((item) => {
    const row = document.createElement("tr");
    render(row, item);
    return row;
  }));
}

function say(text) {
  $("result").textContent = text;
}

/** A call to the HTTP API with the key; resolves to the JSON answer, or shows its error and rejects. */
async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${key()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path.replace(/^\//, ""), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ code: "not-json", message: `the server answered ${response.status}` }));
  if (!response.ok) {
    showError($("error"), `${method} ${path}: ${answer.message || response.status}`);
    throw new Error(answer.code);
  }
  hideError($("error"));
  return answer;
}

function chartWidth(element) {
  return Math.max(200, element.parentElement.clientWidth - 16); // the figure's width, less its padding
}

function chart(element, labels) {
  const width = chartWidth(element);
  return new uPlot({
    width, height: 180,
    scales: { x: { time: true } }, // its window is set with each snapshot: the last 15 minutes
    series: [{}, ...labels.map((label, i) => ({ label, stroke: ["#2557d6", "#1a7f37"][i], width: 2 }))],
    axes: [{}, { size: 50 }],
    legend: { show: labels.length > 1 },
  }, [[], ...labels.map(() => [])], element);
}

function resizeCharts() {
  for (const [instance, id] of [[connectionsChart, "chart-connections"], [ratesChart, "chart-rates"]]) {
    if (instance) instance.setSize({ width: chartWidth($(id)), height: 180 });
  }
}

function sum(endpoints, field) {
  return endpoints.reduce((total, e) => total + e[field], 0);
}

function show(snapshot) {
  $("figures").hidden = false;
  $("engine").textContent = `engine: ${snapshot.engine}`;
  $("node").textContent = snapshot.node;
  fill($("servers").tBodies[0], snapshot.servers, (row, s) => {
    cell(row, s.node);
    cell(row, s.draining ? "draining" : s.ready ? "ready" : "not ready");
    cell(row, String(s.connections), true);
    cell(row, new Date(s.startedAt).toLocaleString());
  });
  $("missing").hidden = snapshot.missing.length === 0;
  $("missing").textContent = `did not answer in time: ${snapshot.missing.join(", ")}`;

  const now = Date.parse(snapshot.time);
  const seconds = previous ? (now - Date.parse(previous.time)) / 1000 : 0;
  const before = new Map((previous ? previous.figures.endpoints : []).map((e) => [e.endpoint, e]));
  const rate = (e, field) => {
    const was = before.get(e.endpoint);
    return was && seconds > 0 ? Math.max(0, (e[field] - was[field]) / seconds) : 0;
  };
  // The mean delivery lag of the publications sent since the last snapshot: publication to send completed.
  const meanLag = (e) => {
    const was = before.get(e.endpoint);
    const count = was ? e.delivered - was.delivered : 0;
    return count > 0 ? ((e.deliveryLagMs - was.deliveryLagMs) / count).toFixed(1) : "–";
  };
  fill($("endpoints").tBodies[0], snapshot.figures.endpoints, (row, e) => {
    cell(row, e.endpoint);
    cell(row, String(e.open), true);
    cell(row, rate(e, "received").toFixed(1), true);
    cell(row, rate(e, "sent").toFixed(1), true);
    cell(row, meanLag(e), true);
    cell(row, String(e.rateLimited), true);
    cell(row, String(e.slowConsumers), true);
  });
  const refused = Object.entries(snapshot.figures.refusals).filter(([, n]) => n > 0);
  $("refusals").textContent = refused.length ? refused.map(([reason, n]) => `${reason} ${n}`).join(", ") : "none";
  $("arenas").textContent = `${snapshot.arenas} (${snapshot.arenaPlaces} holding a place)`;
  $("routes").textContent = snapshot.routes.length ? snapshot.routes.map((r) => `/run/${r.route} ${r.running}`).join(", ") : "no routes";
  $("rooms-count").textContent = `${snapshot.roomsInUse} in use, the busiest ${snapshot.rooms.length}`;
  fill($("rooms").tBodies[0], snapshot.rooms, (row, r) => {
    cell(row, r.room);
    cell(row, String(r.connections), true);
  });
  $("events").replaceChildren(...snapshot.figures.events.map((e) => {
    const item = document.createElement("li");
    item.textContent = `${new Date(e.time).toLocaleTimeString()} ${e.kind} ${e.where}: ${e.detail}`;
    return item;
  }));

  const endpoints = snapshot.figures.endpoints;
  if (previous && seconds > 0) {
    series.time.push(now / 1000);
    series.open.push(sum(endpoints, "open"));
    series.received.push(Math.max(0, (sum(endpoints, "received") - sum(previous.figures.endpoints, "received")) / seconds));
    series.sent.push(Math.max(0, (sum(endpoints, "sent") - sum(previous.figures.endpoints, "sent")) / seconds));
    for (const values of Object.values(series)) if (values.length > POINTS) values.shift();
    connectionsChart ??= chart($("chart-connections"), ["open"]);
    ratesChart ??= chart($("chart-rates"), ["in", "out"]);
    connectionsChart.setData([series.time, series.open]);
    ratesChart.setData([series.time, series.received, series.sent]);
    // The last 15 minutes, whatever the data covers: one point alone would otherwise stretch the axis over years.
    const end = now / 1000;
    for (const instance of [connectionsChart, ratesChart]) instance.setScale("x", { min: end - POINTS * 2, max: end });
  }
  previous = snapshot;
}

/** The key as a subprotocol entry (base64url): a browser's WebSocket sends no header, and a URL would be logged. */
function keyProtocol() {
  let binary = "";
  new TextEncoder().encode(key()).forEach((b) => { binary += String.fromCharCode(b); });
  return `apikey.${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

async function connect() {
  if (socket) socket.close();
  socket = null;
  // A refused handshake shows the page no status: the key is checked over HTTP first (and the first figures come with it).
  const first = await api("GET", "api/admin").catch(() => null);
  if (!first) {
    sessionStorage.removeItem(KEY);
    $("forget").hidden = true;
    $("error").textContent = `the server refused the key: ${$("error").textContent}`;
    return;
  }
  show(first);
  socket = new ReconnectingSocket(endpointUrl("admin/stream"), { protocols: ["admin.v1", keyProtocol()] });
  socket.addEventListener("status", (e) => {
    const { status, code, reason } = e.detail;
    $("status").className = `status ${status}`;
    $("status").textContent = status;
    if (status === "closed" && code === 1008) showError($("error"), `the server closed the stream: ${reason}`);
  });
  socket.addEventListener("message", (e) => {
    const message = JSON.parse(e.detail.data);
    if (message.type === "figures") show(message);
  });
}

$("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (!$("key").value) return;
  sessionStorage.setItem(KEY, $("key").value);
  $("key").value = "";
  $("forget").hidden = false;
  hideError($("error"));
  connect();
});

$("forget").addEventListener("click", () => {
  sessionStorage.removeItem(KEY);
  $("forget").hidden = true;
  if (socket) socket.close();
  $("figures").hidden = true;
});

$("post-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const room = $("post-room").value.trim();
  const answer = await api("POST", `api/rooms/${encodeURIComponent(room)}/messages`,
    { from: $("post-from").value, message: $("post-message").value }).catch(() => null);
  if (answer) {
    say(`posted to ${answer.room} as id ${answer.id}`);
    $("post-message").value = "";
  }
});

async function listConnections() {
  const user = $("find-user").value.trim();
  const answer = await api("GET", `api/connections${user ? `?user=${encodeURIComponent(user)}` : ""}`).catch(() => null);
  if (!answer) return;
  fill($("connections").tBodies[0], answer.connections, (row, c) => {
    cell(row, c.id);
    cell(row, c.user || "guest");
    cell(row, c.endpoint);
    cell(row, c.server);
    cell(row, new Date(c.openedAt).toLocaleTimeString());
    const close = document.createElement("button");
    close.className = "small secondary";
    close.textContent = "Close";
    close.addEventListener("click", async () => {
      const closed = await api("POST", `api/connections/${c.id}/close`, { code: 4000, reason: "closed by an operator" }).catch(() => null);
      if (closed) {
        say(`closed ${c.id}`);
        row.remove();
      }
    });
    row.append(document.createElement("td"));
    row.lastElementChild.append(close);
  });
  say(`${answer.total} connection(s)${answer.truncated ? `, the oldest ${answer.connections.length} shown` : ""}`);
}

$("find-form").addEventListener("submit", (e) => {
  e.preventDefault();
  listConnections();
});

for (const action of ["disconnect", "revoke"]) {
  $(action).addEventListener("click", async () => {
    const user = $("find-user").value.trim();
    if (!user) {
      showError($("error"), `name the user to ${action}`);
      return;
    }
    if (action === "revoke" && !confirm(`Revoke ${user}? Their tokens issued until now stop working on every server.`)) return;
    const answer = await api("POST", `api/users/${encodeURIComponent(user)}/${action}`).catch(() => null);
    if (answer) say(`${action === "revoke" ? "revoked" : "disconnected"} ${user}: ${answer.closed} connection(s) closed`);
  });
}

$("drain").addEventListener("click", async () => {
  if (!confirm("Drain this server? It stops taking clients and closes its own with 1012.")) return;
  const answer = await api("POST", "api/drain").catch(() => null);
  if (answer) say(`draining ${answer.node}: closing its clients in ${answer.closingInMs} ms`);
});

window.addEventListener("resize", resizeCharts);

if (key()) {
  $("forget").hidden = false;
  connect();
}
