// The WebSocket URL of an endpoint of this WAR, derived from the page's own location so the pages
// work under any host, port, context path and behind TLS (https: pages get wss:).
export function endpointUrl(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const base = location.pathname.replace(/[^/]*$/, "");
  return `${scheme}//${location.host}${base}${path.replace(/^\//, "")}`;
}
