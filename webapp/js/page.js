// What every page shows the same way: a bounded log, an error line, an element by id. All text goes
// into the page as text, never as HTML: it may come from other clients.

export const $ = (id) => document.getElementById(id);

/** Lines a log keeps: a page left open on a busy topic must not grow without bound. */
export const MAX_LOG_LINES = 500;

/** Appends a line of class {@code kind} to {@code log}, dropping the oldest past MAX_LOG_LINES. */
export function logLine(log, text, kind = "in") {
  const line = document.createElement("div");
  line.className = kind;
  line.textContent = text;
  appendBounded(log, line);
}

/** Appends {@code node}, drops the oldest children past MAX_LOG_LINES, and follows the end. */
export function appendBounded(container, node) {
  const following = container.scrollTop + container.clientHeight >= container.scrollHeight - 4;
  container.append(node);
  while (container.childElementCount > MAX_LOG_LINES) container.firstElementChild.remove();
  if (following) container.scrollTop = container.scrollHeight;
}

/** Shows {@code text} in the page's error element (hidden when there is nothing to say). */
export function showError(element, text) {
  element.textContent = text;
  element.hidden = false;
}

export function hideError(element) {
  element.hidden = true;
}
