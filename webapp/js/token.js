// The page's connection token, for a server with auth=token. It comes in once as ?token=... (taken
// out of the address bar at once, so it is not bookmarked, shared or kept in history) and is kept
// for the tab in sessionStorage. It travels as a "bearer.<token>" subprotocol entry beside the real
// one: browsers cannot set headers on a WebSocket, and the server never echoes that entry.

const KEY = "socketworks.token";

function takeFromAddress() {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (token === null) return;
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY); // ?token= (empty) forgets it
  params.delete("token");
  const query = params.toString();
  history.replaceState(history.state, "", location.pathname + (query ? `?${query}` : "") + location.hash);
}

takeFromAddress();

/** The token this tab connects with, or null. */
export function pageToken() {
  return sessionStorage.getItem(KEY);
}

/**
 * A fresh token from the application embedding the page, when it provides one: it defines
 * window.socketworksTokenProvider, a function returning a token (or a promise of one), typically by
 * asking its own backend. The token is kept for the tab, so reconnections use it too. Null when
 * there is no provider or it gave nothing.
 */
export async function freshToken() {
  const provide = window.socketworksTokenProvider;
  if (typeof provide !== "function") return null;
  try {
    const token = await provide();
    if (typeof token !== "string" || !token) return null;
    sessionStorage.setItem(KEY, token);
    return token;
  } catch {
    return null;
  }
}

/** The subprotocols to offer: the real ones, then the token's bearer entry if there is a token. */
export function withToken(protocols = []) {
  const token = pageToken();
  return token ? [...protocols, `bearer.${token}`] : protocols;
}

/**
 * Who the token names (its "name" claim, else "sub"), for display only: the server verifies it, the
 * page only reads it. Null without a token or for one the page cannot read.
 */
export function tokenHolder() {
  const token = pageToken();
  if (!token) return null;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    return typeof claims.name === "string" ? claims.name : typeof claims.sub === "string" ? claims.sub : null;
  } catch {
    return null;
  }
}

/**
 * Why a connection that never opened may have been refused: the browser hides the HTTP status (401,
 * 403, 429, an Origin refused and a server that is down all look the same to a page).
 */
export function refusedText() {
  return pageToken()
    ? "cannot connect: the server is down, refuses this page's origin, or refused its token (expired, or without the right to this)"
    : "cannot connect: the server is down, refuses this page's origin, or asks for a token (open the page with ?token=...)";
}
