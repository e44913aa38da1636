// Dispatcher's control-room board (/board/): signs in with a dispatcher or admin token, watches one zone on
// /hubs/control (JSON protocol) and draws every courier as a small canvas circle coloured by activity and every open
// order as a ring coloured by its state. Frames carry only what changed (couriers that moved, orders that changed or
// closed, the alert list when it changed, the key figures); markers are updated in place, never rebuilt.
// Commands go over HTTP with the same token: search (GET /api/orders/search), the order drawer (GET /api/orders/{id},
// /dispatch, /route), assign (POST /api/orders/{id}/assign), cancel, move all of a courier's orders
// (POST /api/couriers/{id}/reassign) and acknowledge an alert (POST /api/zones/{zone}/alerts/acknowledge).
// Modules: store (constants, window.board), map, markers, frames, figures, alerts, orders (list and search), drawer,
// commands, courier-card, explanation, connection; sign-in, hub and map setup are shared from /common.
import { signInForm } from "../common/signin.js";
import { renderAlerts } from "./alerts.js";
import "./commands.js";
import { connect } from "./connection.js";
import "./courier-card.js";
import { renderCounters, renderKpis } from "./figures.js";
import { clearBoard, recheckStale } from "./frames.js";
import { ensureMap } from "./map.js";
import { renderOrders } from "./orders.js";
import { board, state, STALE_CHECK_MS } from "./store.js";

const session = signInForm({
  session: state,
  storageKey: "dispatch.board.token",
  missingToken: "Paste your dispatcher token first.",
  demo: {
    url: "/dev/token",
    body: { role: "dispatcher", subject: "demo-dispatcher" },
    token: (answer) => answer.token,
    unavailable: "Demo dispatchers are only available on a development server.",
    failed: (message) => `Could not get a demo dispatcher token (${message}).`,
  },
  onSignIn: () => {
    ensureMap();
    connect(session.signOut);
  },
  onSignOut: async () => {
    const connection = state.connection;
    state.connection = null;
    if (connection) await connection.stop().catch(() => {});
    clearBoard();
  },
});

setInterval(recheckStale, STALE_CHECK_MS);
setInterval(() => {
  if (!state.searchResults && board.orders.size) renderOrders();
}, 30_000); // "late" badges age too
renderCounters();
renderKpis();
renderAlerts();
renderOrders();
session.resume();
