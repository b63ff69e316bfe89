import { endpointUrl } from "./endpoint-url.js";

// One probe connection per card: shows whether the service accepts this page's origin right now.
for (const card of document.querySelectorAll("[data-endpoint]")) {
  const url = endpointUrl(card.dataset.endpoint);
  const status = card.querySelector(".status");
  card.querySelector(".ws-url").textContent = url.split("?")[0];
  const socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    status.className = "status connected";
    status.textContent = "connected";
    socket.close(1000);
  });
  socket.addEventListener("error", () => {
    status.className = "status refused";
    status.textContent = "refused or unreachable";
  });
}
