// The tracking hub connection (/hubs/tracking, JSON protocol; the token in the path is the only credential): Subscribe
// answers the snapshot, pushes move the courier and change the status, route, receipt and stops. It keeps trying for
// as long as the page is open; only a refused link stops it.
import { retryDelay, serverMessage, setConnection } from "../common/hub.js";
import { $ } from "../common/dom.js";
import { applyRoute } from "./courier.js";
import { applyReceipt } from "./errand.js";
import { showLinkProblem } from "./message.js";
import { renderPanel } from "./panel.js";
import { applyPosition, applySnapshot, applyStatus } from "./snapshot.js";
import { state } from "./state.js";
import { applyStop } from "./stops.js";

const HUB = "/hubs/tracking";

export function connect() {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(HUB)
    // Keep trying for as long as the page is open: 0 s, 1 s, 2 s, 4 s, then every 10 s.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelay(ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  state.connection = connection;

  connection.on("CourierMoved", applyPosition);
  connection.on("RouteUpdated", applyRoute);
  connection.on("ReceiptChanged", applyReceipt);
  connection.on("StopCompleted", applyStop);
  connection.on("Arriving", (arriving) => {
    if (!state.snapshot || arriving.orderId !== state.snapshot.orderId) return;
    if (!state.timeline.some((t) => t.step === "arriving")) state.timeline.push({ step: "arriving", at: arriving.at });
    renderPanel();
  });
  connection.on("StatusChanged", (change) => {
    applyStatus(change);
    // The snapshot carries what a push does not (courier name and phone on accept, the timeline's wording).
    subscribe().catch(() => {
      /* the push already updated the page; the next reconnect resyncs */
    });
  });

  // Pushes may have been lost (Redis came back after an outage): the snapshot again, as on open.
  connection.on("Refresh", () => {
    subscribe().catch(() => {
      /* the next reconnect resyncs */
    });
  });

  connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
  connection.onreconnected(() => start());
  connection.onclose(() => {
    if (!state.failed) {
      setConnection("reconnecting", "Reconnecting…");
      setTimeout(start, 5000);
    }
  });
  start();
}

async function subscribe() {
  const snapshot = await state.connection.invoke("Subscribe", state.token);
  if (!state.failed) applySnapshot(snapshot);
}

// Subscribing refuses a bad or expired link for good; anything else is a connection problem worth retrying.
async function subscribeOrExplain() {
  try {
    await subscribe();
    setConnection("live", "Live");
  } catch (error) {
    const message = serverMessage(error);
    if (message && /tracking link/i.test(message)) {
      state.failed = true;
      await state.connection.stop();
      showLinkProblem(message);
      return;
    }
    throw error;
  }
}

let attempt = 0;
async function start() {
  try {
    if (state.connection.state === signalR.HubConnectionState.Disconnected) await state.connection.start();
    await subscribeOrExplain();
    attempt = 0;
  } catch (error) {
    if (state.failed) return;
    console.warn("Tracking connection failed; retrying.", error);
    setConnection("reconnecting", "Reconnecting…");
    if (!state.snapshot) $("loading").lastElementChild.textContent = "Can't reach the server. Retrying…";
    attempt++;
    // While the client reconnects by itself, onreconnected resubscribes; otherwise try again here.
    if (state.connection.state !== signalR.HubConnectionState.Reconnecting) setTimeout(start, Math.min(10000, 1000 * attempt));
  }
}
