// Frames from /hubs/control: only what changed (couriers that moved, orders that changed or closed, the alert list,
// the key figures), applied to the store and the map in place.
import { renderAlerts } from "./alerts.js";
import { closeCourier, renderCourier } from "./courier-card.js";
import { closeOrder, scheduleOrderRefresh } from "./drawer.js";
import { renderCounters, renderKpis } from "./figures.js";
import { ago, time } from "./format.js";
import { colourOf, isStale, removeOrder, upsert, upsertOrder } from "./markers.js";
import { renderOrders } from "./orders.js";
import { board, state } from "./store.js";
import { $ } from "../common/dom.js";

export function apply(frame, replace) {
  const now = Date.now();
  for (const bc of frame.couriers || []) upsert(bc, now);
  if (replace) {
    const open = new Set((frame.orders || []).map((o) => o.orderId));
    for (const id of [...board.orders.keys()]) if (!open.has(id)) removeOrder(id);
  }
  let ordersChanged = replace;
  for (const o of frame.orders || []) {
    upsertOrder(o);
    ordersChanged = true;
  }
  for (const id of frame.removedOrders || []) {
    removeOrder(id);
    ordersChanged = true;
  }
  if (frame.alerts) {
    board.alerts = frame.alerts;
    renderAlerts();
  }
  if (frame.kpis) {
    board.kpis = frame.kpis;
    renderKpis();
  }
  board.frames++;
  board.lastFrameAt = frame.at;
  $("frame-info").textContent =
    `Last update ${time(frame.at)} · ${(frame.couriers || []).length} courier${(frame.couriers || []).length === 1 ? "" : "s"} moved`;
  renderCounters();
  if (ordersChanged) renderOrders();
  if (
    state.selectedOrder &&
    ((frame.orders || []).some((o) => o.orderId === state.selectedOrder) || (frame.removedOrders || []).includes(state.selectedOrder))
  ) {
    scheduleOrderRefresh();
  }
  if (state.selectedCourier && (ordersChanged || (frame.couriers || []).some((c) => c.courierId === state.selectedCourier)))
    renderCourier();
}

export function clearBoard() {
  for (const marker of state.markers.values()) marker.remove();
  for (const marker of state.orderMarkers.values()) marker.remove();
  state.markers.clear();
  state.orderMarkers.clear();
  board.couriers.clear();
  board.orders.clear();
  board.alerts = [];
  board.kpis = null;
  closeOrder();
  closeCourier();
  renderCounters();
  renderOrders();
  renderAlerts();
  renderKpis();
}

// Positions age without frames: re-check staleness every few seconds and recolour only what changed.
export function recheckStale() {
  const now = Date.now();
  let changed = false;
  for (const [id, c] of board.couriers) {
    const stale = isStale(c, now);
    if (stale === c.stale) continue;
    c.stale = stale;
    state.markers.get(id).setStyle({ fillColor: colourOf(c) });
    changed = true;
  }
  if (changed) renderCounters();
  for (const node of document.querySelectorAll("#alerts .alert-age")) node.textContent = ago(node.dataset.at);
}
