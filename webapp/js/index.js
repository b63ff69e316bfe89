import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";
import { $, showError } from "./page.js";
import { withToken } from "./token.js";

// One live connection per card: its dot shows whether the service accepts this page right now, and
// turns to "reconnecting" when the server goes away (a redeploy) until it is back. A card marked
// data-probe is only checked once: connected, then closed at once, so a service that does work per
// connection (the countdown's timer, the arena's world) keeps nothing running for a visitor of this page.
for (const card of document.querySelectorAll("[data-endpoint]")) {
  const url = endpointUrl(card.dataset.endpoint);
  card.querySelector(".ws-url").textContent = url.split("?")[0].replace(/lobby$/, "{room}").replace(/arena$/, "arena/{name}");
  const protocols = card.dataset.protocol ? [card.dataset.protocol] : [];
  const status = card.querySelector(".status");
  if ("probe" in card.dataset) probe(url, protocols, status);
  else showStatus(new ReconnectingSocket(url, { protocols }), status);
}

function probe(url, protocols, element) {
  const socket = new WebSocket(url, withToken(protocols));
  let opened = false;
  socket.addEventListener("open", () => {
    opened = true;
    element.className = "status connected";
    element.textContent = "reachable";
    socket.close(1000);
  });
  socket.addEventListener("close", () => {
    if (!opened) {
      element.className = "status refused";
      element.textContent = "refused";
    }
  });
}

// Configured routes are listed without a live status: connecting would start a program per visitor.
fetch("routes", { cache: "no-store" })
  .then((response) => {
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return response.json();
  })
  .then(({ routes }) => {
    if (!Array.isArray(routes)) throw new Error("the answer has no list of routes");
    const list = $("route-list");
    for (const route of routes) {
      const item = document.createElement("li");
      item.className = "route";
      const link = document.createElement("a");
      link.href = `echo.html?route=${encodeURIComponent(route.name)}`;
      link.textContent = route.name;
      const url = document.createElement("code");
      url.textContent = endpointUrl(route.path);
      const about = [route.kind === "tcp" ? "TCP service" : "program", `${route.mode} mode`];
      if (route.subprotocols.length) about.push(`subprotocols ${route.subprotocols.join(", ")}`);
      item.append(link, " ", url, ` (${about.join(", ")})`);
      list.append(item);
    }
    $("routes").hidden = routes.length === 0;
  })
  .catch((failure) => showError($("routes-error"), `cannot list the configured routes: ${failure.message}`));
