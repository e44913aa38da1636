// Customer tracking page for /track/{token}: subscribes on /hubs/tracking (JSON protocol) and shows the courier
// moving, the ETA counting down, and the order's timeline. The token in the path is the only credential.
// Modules: state, map, courier (marker and route line), panel (headline, ETA, timeline), stops, errand, rating,
// snapshot (what the hub sends), message (a refused link), connection; the map setup and hub helpers come from /common.
import { showMessage } from "./message.js";
import { connect } from "./connection.js";
import { renderEta } from "./panel.js";
import { state } from "./state.js";
import "./errand.js";
import "./rating.js";

function readToken() {
  const parts = location.pathname.split("/").filter(Boolean);
  return parts.length >= 2 && parts[0] === "track" ? decodeURIComponent(parts[1]) : "";
}

state.token = readToken();
if (!state.token) {
  showMessage("Link not recognised", "The link has no tracking code in it. Check that you copied the whole link.");
} else {
  setInterval(() => {
    if (state.snapshot) renderEta();
  }, 1000);
  connect();
}
