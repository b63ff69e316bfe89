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
