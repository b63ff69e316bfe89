import { endpointUrl } from "./endpoint-url.js";
import { ReconnectingSocket, showStatus } from "./reconnecting-socket.js";

// One live connection per card: its dot shows whether the service accepts this page right now, and
// turns to "reconnecting" when the server goes away (a redeploy) until it is back.
for (const card of document.querySelectorAll("[data-endpoint]")) {
  const url = endpointUrl(card.dataset.endpoint);
  card.querySelector(".ws-url").textContent = url.split("?")[0].replace(/lobby$/, "{room}");
  const protocols = card.dataset.protocol ? [card.dataset.protocol] : [];
  showStatus(new ReconnectingSocket(url, { protocols }), card.querySelector(".status"));
}

// Configured routes are listed without a live status: connecting would start a program per visitor.
fetch("routes", { cache: "no-store" })
  .then((response) => response.json())
  .then(({ routes }) => {
    const list = document.getElementById("route-list");
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
    document.getElementById("routes").hidden = routes.length === 0;
  });
