import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";
import { $, appendBounded, showError as showErrorIn, hideError } from "./page.js";
import { freshToken, refusedText, tokenHolder } from "./token.js";

// Chat over /chat/{room} with subprotocol chat.v1. After a dropped connection the socket reconnects
// and, before joining again, sends chat-resume with the last id seen, so the server sends exactly
// the messages missed. Ids only grow within a room, so anything at or below the last id shown is a
// duplicate and skipped. All user text goes into the page as text, never as HTML.

const params = new URLSearchParams(location.search);
$("username").value = params.get("name") ?? "";
$("room").value = params.get("room") ?? "lobby";

let socket = null;
let room = null;
let lastId = 0;

function send(type, payload) {
  if (!socket.send(JSON.stringify({ type, payload }))) showError("not connected: the message was not sent");
}

const showError = (text) => showErrorIn($("error"), text);

function clock(iso) {
  const time = new Date(iso);
  return isNaN(time) ? "" : time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function addLine(kind, payload, text) {
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.id = payload.id;
  const time = document.createElement("time");
  time.dateTime = payload.time;
  time.textContent = clock(payload.time);
  const name = document.createElement("strong");
  name.textContent = payload.username;
  const body = document.createElement("span");
  body.textContent = text;
  item.append(time, " ", name, " ", body);
  appendBounded($("messages"), item);
}

// Presence is state once, then changes: chat-presence (the list, right after this client's own
// join) replaces the list; every chat-join and chat-leave after it adds or removes one name.
// A large room's list names the first members only; total counts them all.
let members = [];
let total = 0;

function applyChange(kind, username) {
  const listed = members.includes(username);
  members = members.filter((name) => name !== username);
  if (kind === "chat-join") {
    members.push(username);
    if (!listed) total++;
  } else {
    total = Math.max(members.length, total - 1);
  }
}

function showMembers() {
  const items = members.map((name) => {
    const item = document.createElement("li");
    item.textContent = name;
    return item;
  });
  if (total > members.length) {
    const more = document.createElement("li");
    more.className = "more";
    more.textContent = `and ${total - members.length} more`;
    items.push(more);
  }
  $("presence").replaceChildren(...items);
}

function onMessage(message) {
  const { type, payload } = message;
  if (type === "chat-message" || type === "chat-join" || type === "chat-leave") {
    if (payload.id <= lastId) return; // already shown
    lastId = payload.id;
    if (type === "chat-message") {
      addLine("message", payload, payload.message);
      return;
    }
    addLine("notice", payload, type === "chat-join" ? "joined" : "left");
    applyChange(type, payload.username);
    showMembers();
  } else if (type === "chat-presence-diff") {
    // Changes that came close together, one per member (its last), and the room's size after them.
    if (payload.id <= lastId) return;
    lastId = payload.id;
    payload.leaves.forEach((change) => applyChange("chat-leave", change.username));
    payload.joins.forEach((change) => applyChange("chat-join", change.username));
    // In a crowd (above chatPresenceListMax) changes are counted, not named: the count is the room's.
    if (typeof payload.count === "number") total = Math.max(members.length, payload.count);
    showMembers();
  } else if (type === "chat-presence") {
    members = [...payload.usernames];
    total = Math.max(members.length, payload.count ?? members.length);
    showMembers();
  } else if (type === "chat-joined") {
    $("me").textContent = `you are ${payload.username} in ${payload.room}`;
    showTokenExpiry(payload.expiresAt);
    hideError($("error"));
  } else if (type === "token-expiring") {
    // Renewed in-band when the page's application provides tokens; otherwise the server closes at expiry.
    freshToken().then((token) => {
      if (token) socket.send(JSON.stringify({ type: "refresh", payload: { token } }));
    });
  } else if (type === "token-refreshed") {
    showTokenExpiry(payload.expiresAt);
  } else if (type === "chat-reset") {
    // The server lost the room's past: show a divider; ids keep increasing, so lastId stays valid.
    const item = document.createElement("li");
    item.className = "notice";
    item.textContent = "— the server lost this room's history; earlier messages may be missing —";
    appendBounded($("messages"), item);
  } else if (type === "error") {
    showError(`${payload.message} (${payload.code})`);
  }
}

/** When the connection's token expires, for whoever reads the page (and its tests): a data attribute and a tooltip. */
function showTokenExpiry(expiresAt) {
  if (!expiresAt) return;
  $("identity").dataset.expiresAt = expiresAt;
  $("identity").title = `token valid until ${new Date(expiresAt).toLocaleTimeString()}`;
}

// Who the page's token names (?token=...), shown beside the status; the server verifies the token.
const holder = tokenHolder();
if (holder) {
  $("identity").textContent = `signed in as ${holder}`;
  $("identity").hidden = false;
}

function join(username, roomName) {
  if (socket) socket.close(1000, "changing room");
  room = roomName;
  lastId = 0;
  $("messages").replaceChildren();
  members = [];
  total = 0;
  $("presence").replaceChildren();
  socket = new ReconnectingSocket(endpointUrl(`chat/${encodeURIComponent(room)}`), { protocols: ["chat.v1"] });
  showStatus(socket, $("status"));
  socket.addEventListener("status", (e) => {
    const connected = e.detail.status === "connected";
    $("message").disabled = !connected;
    $("say").disabled = !connected;
    if (e.detail.status === "refused") showError(refusedText());
    if (e.detail.status === "closed" && e.detail.code && e.detail.code !== 1000) {
      showError(`connection closed: ${e.detail.code} ${e.detail.reason}`);
    }
  });
  socket.addEventListener("open", () => {
    if (lastId > 0) send("chat-resume", { room, afterId: lastId }); // must come before chat-join
    send("chat-join", { username });
  });
  socket.addEventListener("message", (e) => onMessage(JSON.parse(e.detail.data)));
}

$("join-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (!$("room").checkValidity()) {
    showError("a room name is 1-64 letters, digits, '.', '_' or '-'");
    return;
  }
  join($("username").value.trim(), $("room").value.trim());
});

$("say-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("message").value;
  if (text.trim() === "") return;
  send("chat-message", { message: text });
  $("message").value = "";
});

if (params.has("room")) join($("username").value.trim(), $("room").value.trim());
