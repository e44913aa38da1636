// What the hub sends, applied to the state: the snapshot (on subscribe and after each status change), a courier's
// position and a status change.
import { $ } from "../common/dom.js";
import { applyRoute, drawRoute, moveCourier, removeCourier } from "./courier.js";
import { initMap } from "./map.js";
import { renderEta, renderPanel } from "./panel.js";
import { ASSIGNED, STATUS_STEP, state } from "./state.js";

export function applySnapshot(snapshot) {
  const first = !state.snapshot;
  state.snapshot = snapshot;
  state.status = snapshot.status;
  state.timeline = snapshot.timeline.slice();
  state.buyForMe = snapshot.buyForMe || null;
  state.rating = snapshot.rating || null;
  if (snapshot.route) applyRoute(snapshot.route);
  if (first) {
    $("loading").hidden = true;
    $("app").hidden = false;
    document.body.dataset.state = "live";
    initMap(snapshot);
  }
  if (snapshot.courier && ASSIGNED.includes(snapshot.status)) applyPosition(snapshot.courier);
  else if (!ASSIGNED.includes(snapshot.status)) {
    state.etaDeadline = null;
    $("approx").hidden = true;
    removeCourier();
  }
  drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
  renderPanel();
}

export function applyPosition(position) {
  if (!state.snapshot || position.orderId !== state.snapshot.orderId) return;
  state.courier = position;
  state.etaDeadline = Date.now() + position.etaSeconds * 1000;
  $("eta").dataset.etaSeconds = String(position.etaSeconds);
  moveCourier(position);
  renderEta();
}

export function applyStatus(change) {
  if (!state.snapshot || change.orderId !== state.snapshot.orderId) return;
  state.status = change.status;
  const step = STATUS_STEP[change.status];
  if (step && !state.timeline.some((t) => t.step === step)) state.timeline.push({ step, at: change.at });
  if (!ASSIGNED.includes(change.status)) {
    state.etaDeadline = null;
    $("approx").hidden = true;
    removeCourier();
  }
  drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
  renderPanel();
}
