// A WebSocket that reconnects after the connection drops, with exponential backoff and jitter, and
// reports its state so every page can show it. One per service connection on a page.
//
// Events (all CustomEvent, details in event.detail):
//   "status"  {status, code, reason, delayMs}  status: connecting | connected | reconnecting | refused | closed
//   "open"    {}          after each (re)connection: the place to resume (chat sends chat-resume here)
//   "message" {data}      each message, as the browser delivers it
//
// A connection that never opened is "refused" (the browser hides the HTTP status: an Origin the
// server refuses and a server that is down look the same). Close codes a retry cannot fix end it
// ("closed"): a normal close, a protocol or policy refusal, a message that was too big. 1012
// "service restart" (a server of several going away, the others serving on) reconnects at once.

import { freshToken, withToken } from "./token.js";

const FINAL_CODES = new Set([1000, 1002, 1003, 1007, 1009, 1010]);
// 1008 is a policy close; these reasons are about the moment, not the client, so a retry may work.
const RETRIABLE_POLICY_REASONS = ["slow consumer", "no reply to ping", "idle timeout"];

export function backoffDelay(attempt, { minDelayMs = 500, maxDelayMs = 15000, random = Math.random } = {}) {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * ceiling / 2); // jitter: many clients must not return at once
}

export function shouldReconnect(code, reason) {
  if (FINAL_CODES.has(code)) return false;
  if (code === 1008) return RETRIABLE_POLICY_REASONS.includes(reason);
  return true;
}

export class ReconnectingSocket extends EventTarget {
  constructor(url, { protocols = [], binaryType = "arraybuffer", minDelayMs, maxDelayMs } = {}) {
    super();
    this.url = url;
    this.protocols = protocols;
    this.binaryType = binaryType;
    this.backoff = { minDelayMs, maxDelayMs };
    this.attempt = 0;
    this.status = "connecting";
    this.stopped = false;
    this.connect();
  }

  connect() {
    const socket = new WebSocket(this.url, withToken(this.protocols)); // read each time: a new token applies on reconnect
    socket.binaryType = this.binaryType;
    let opened = false;
    this.socket = socket;
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    socket.addEventListener("open", () => {
      opened = true;
      this.attempt = 0;
      this.setStatus("connected");
      this.dispatchEvent(new CustomEvent("open"));
    });
    socket.addEventListener("message", (e) => this.dispatchEvent(new CustomEvent("message", { detail: { data: e.data } })));
    socket.addEventListener("close", (e) => {
      if (this.stopped) return;
      if (opened && e.code === 1008 && e.reason === "token expired") {
        // Reconnect at once if the page's application gives a new token; without one, stay closed.
        freshToken().then((token) => {
          if (this.stopped) return;
          if (!token) {
            this.setStatus("closed", { code: e.code, reason: e.reason });
            return;
          }
          this.setStatus("reconnecting", { code: e.code, reason: e.reason, delayMs: 0 });
          this.timer = setTimeout(() => this.connect(), 0);
        });
        return;
      }
      if (opened && !shouldReconnect(e.code, e.reason)) {
        this.setStatus("closed", { code: e.code, reason: e.reason });
        return;
      }
      // 1012: another server takes over now; a short jitter spreads the clients of the one leaving.
      const delayMs = e.code === 1012 && opened ? Math.round(Math.random() * 250) : backoffDelay(this.attempt++, this.backoff);
      this.setStatus(opened ? "reconnecting" : "refused", { code: e.code, reason: e.reason, delayMs });
      this.timer = setTimeout(() => this.connect(), delayMs);
    });
  }

  setStatus(status, details = {}) {
    this.status = status;
    this.dispatchEvent(new CustomEvent("status", { detail: { status, ...details } }));
  }

  /** Sends if connected; returns whether it was sent (a page can tell its user otherwise). */
  send(data) {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(data);
    return true;
  }

  close(code = 1000, reason = "") {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket.close(code, reason);
    this.setStatus("closed", { code, reason });
  }
}

/** Shows a socket's state in an element with class "status": the text and a class for the colour. */
export function showStatus(socket, element) {
  socket.addEventListener("status", (e) => {
    const { status, code, reason, delayMs } = e.detail;
    element.className = `status ${status}`;
    let text = status;
    if (status === "reconnecting" || status === "refused") {
      text += delayMs !== undefined ? ` (retry in ${(delayMs / 1000).toFixed(1)} s)` : "";
    }
    if ((status === "closed" || status === "reconnecting") && code) {
      text += ` · ${code}${reason ? " " + reason : ""}`;
    }
    element.textContent = text;
  });
}
