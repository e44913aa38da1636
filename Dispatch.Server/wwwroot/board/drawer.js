// The order drawer: an order's facts, stops, timeline and dispatch rounds (GET /api/orders/{id}, /dispatch, /route),
// and the order drawn on the map.
import { api } from "./api.js";
import { fillCourierSelect } from "./commands.js";
import { closeCourier } from "./courier-card.js";
import { renderRound } from "./explanation.js";
import { courierName, distanceText, readable, shortTime, time } from "./format.js";
import { ASSIGNABLE, ASSIGNED, CANCELLABLE, CARRYING, STATUS_LABELS, UNASSIGNED, state } from "./store.js";
import { $, el, showError } from "../common/dom.js";

export async function openOrder(id, options) {
  state.selectedOrder = id;
  closeCourier();
  for (const li of document.querySelectorAll("#orders li")) li.classList.toggle("selected", li.dataset.orderId === id);
  showError("order-error", "");
  $("order-message").hidden = true;
  try {
    await loadOrder(id);
    $("lookup-result").scrollIntoView({ block: "nearest", behavior: "smooth" });
  } catch (error) {
    if (options && options.fromSearch) {
      showError("lookup-error", error.message);
      closeOrder();
    } else {
      showError("order-error", error.message);
    }
  }
}

export async function loadOrder(id) {
  const [order, rounds, route] = await Promise.all([
    api("GET", `/api/orders/${encodeURIComponent(id)}`),
    api("GET", `/api/orders/${encodeURIComponent(id)}/dispatch`),
    api("GET", `/api/orders/${encodeURIComponent(id)}/route`),
  ]);
  if (state.selectedOrder !== id) return;
  renderOrder(order, rounds, route);
}

export function scheduleOrderRefresh() {
  clearTimeout(state.orderRefresh);
  const id = state.selectedOrder;
  state.orderRefresh = setTimeout(() => {
    if (state.selectedOrder === id) loadOrder(id).catch(() => {});
  }, 300);
}

export function closeOrder() {
  state.selectedOrder = null;
  $("lookup-result").hidden = true;
  if (state.selection) {
    state.selection.remove();
    state.selection = null;
  }
  for (const li of document.querySelectorAll("#orders li.selected")) li.classList.remove("selected");
}

$("drawer-close").addEventListener("click", closeOrder);

export function renderOrder(order, rounds, route) {
  const result = $("lookup-result");
  result.dataset.status = order.status;
  result.dataset.orderId = order.id;
  $("order-number").textContent = order.number;
  $("order-status").textContent = STATUS_LABELS[order.status] || order.status;
  $("order-status").dataset.status = order.status;
  $("order-route").textContent =
    `${order.pickup.address || "pickup"} → ${order.dropoff.address || "drop-off"}${order.stops ? ` · ${order.stops.length} stop${order.stops.length > 1 ? "s" : ""} on the way` : ""}${order.requiresColdChain ? " · cold chain" : ""}`;
  $("order-customer").textContent = `${order.customerName || "—"} · ${order.customerPhoneMasked || "no phone"}`;
  $("order-courier").textContent =
    order.courierId && !["placed", ...UNASSIGNED].includes(order.status) ? courierName(order.courierId) : "none yet";
  const late = Date.parse(order.promisedAt) < Date.now() && !["delivered", "cancelled", "failed"].includes(order.status);
  $("order-promised").textContent = `${shortTime(order.promisedAt)}${late ? " · late" : ""}`;
  $("order-promised").classList.toggle("late", late);
  $("order-route-info").textContent =
    route && route.legs && route.legs.length
      ? `${distanceText(route.legs.reduce((s, l) => s + l.distanceMetres, 0))} · drop-off ETA ${shortTime(route.legs[route.legs.length - 1].etaAt)} (v${route.version})`
      : "not planned";

  $("order-payment").textContent = paymentText(order.payment);
  $("order-payment").classList.toggle("late", Boolean(order.payment && order.payment.alertAt));

  // A multi-stop errand's stops, in order, with when each was done.
  const stops = order.stops || [];
  $("order-stops-box").hidden = stops.length === 0;
  $("order-stops-count").textContent = stops.length ? `${stops.filter((x) => x.doneAt).length} of ${stops.length} done` : "";
  $("order-stops").replaceChildren(
    ...stops.map((x) => {
      const li = el("li");
      li.dataset.done = String(Boolean(x.doneAt));
      const text = el("span", "stop-text", `${x.action === "dropoff" ? "Drop off" : "Collect"} · ${x.address}`);
      if (x.note) text.append(el("small", null, x.note));
      li.append(
        el("span", "stop-num", x.doneAt ? "✓" : String(x.index + 1)),
        text,
        el("span", "stop-state", x.doneAt ? time(x.doneAt) : "to do"),
      );
      return li;
    }),
  );

  // Assign: only while the goods are at the pickup; couriers nearest the pickup first.
  const assignable = ASSIGNABLE.includes(order.status);
  $("assign-box").hidden = !assignable;
  if (assignable) {
    $("assign-label").textContent = ASSIGNED.includes(order.status) ? "Reassign to" : "Assign to";
    fillCourierSelect(
      $("assign-courier"),
      { lat: order.pickup.lat, lon: order.pickup.lon },
      ASSIGNED.includes(order.status) ? order.courierId : null,
      null,
    );
  }
  $("cancel-box").hidden = !CANCELLABLE.includes(order.status);
  $("handover-box").hidden = !CARRYING.includes(order.status);
  $("fail-box").hidden = !CARRYING.includes(order.status);

  $("order-timeline").replaceChildren(
    ...(order.timeline || []).map((t) => {
      const li = el("li");
      li.dataset.status = t.status;
      const actor = el("span", "tl-actor", readable(t.actor));
      actor.title = t.actor;
      li.append(el("span", "tl-time", time(t.at)), el("span", "tl-status", STATUS_LABELS[t.status] || t.status), actor);
      if (t.note) li.append(el("span", "tl-note", readable(t.note)));
      return li;
    }),
  );

  const box = $("explanation");
  if (!rounds.length) {
    box.replaceChildren(el("p", "muted small", "No offer rounds yet."));
  } else {
    box.replaceChildren(...rounds.map((round, i) => renderRound(round, i + 1, rounds.length)));
  }
  result.hidden = false;
  drawSelection(order, route);
}

// The money of an order in one line: price (or unpriced), payment state and provider, refunds, a refused payment's reason,
// and the courier's fee once delivered.
export function paymentText(payment) {
  if (!payment) return "—";
  const money = (cents) => `${(cents / 100).toFixed(2)} ${payment.currency}`;
  const parts = [payment.priceCents == null ? "unpriced (merchant collects)" : money(payment.priceCents)];
  parts.push(payment.method ? `${payment.state} via ${payment.method}` : payment.state);
  if (payment.refundedCents > 0) parts.push(`refunded ${money(payment.refundedCents)}`);
  const waiting = (payment.refunds || []).filter((r) => r.state === "pending").length;
  if (waiting) parts.push(`${waiting} refund${waiting > 1 ? "s" : ""} pending`);
  if (payment.alertAt) parts.push(`refused: ${payment.alert}`);
  if (payment.courierFeeCents != null) parts.push(`courier fee ${money(payment.courierFeeCents)}`);
  return parts.join(" · ");
}

// The selected order on the map: pickup (P), a multi-stop errand's numbered stops, drop-off (D), and its planned route or a
// dashed straight line through them.
export function drawSelection(order, route) {
  if (state.selection) state.selection.remove();
  const layer = L.layerGroup();
  const pickup = [order.pickup.lat, order.pickup.lon],
    dropoff = [order.dropoff.lat, order.dropoff.lon];
  const via = (order.stops || []).map((x) => [x.lat, x.lon]);
  if (route && route.path && route.path.length > 1) {
    L.polyline(route.path, { pane: "selection", className: "route-line", weight: 5, opacity: 0.85, interactive: false }).addTo(layer);
  } else {
    L.polyline([pickup, ...via, dropoff], {
      pane: "selection",
      className: "route-straight",
      weight: 2.5,
      dashArray: "6 6",
      interactive: false,
    }).addTo(layer);
  }
  (order.stops || []).forEach((x) => {
    L.marker([x.lat, x.lon], {
      pane: "selection",
      icon: L.divIcon({ className: "pin pin-stop", html: x.doneAt ? "✓" : String(x.index + 1), iconSize: [22, 22] }),
      title: `Stop ${x.index + 1}: ${x.address}`,
    }).addTo(layer);
  });
  L.marker(pickup, {
    pane: "selection",
    icon: L.divIcon({ className: "pin pin-pickup", html: "P", iconSize: [24, 24] }),
    title: "Pickup",
  }).addTo(layer);
  L.marker(dropoff, {
    pane: "selection",
    icon: L.divIcon({ className: "pin pin-dropoff", html: "D", iconSize: [24, 24] }),
    title: "Drop-off",
  }).addTo(layer);
  layer.addTo(state.map);
  state.selection = layer;
  const bounds = L.latLngBounds([pickup, ...via, dropoff]);
  if (!state.map.getBounds().contains(bounds)) state.map.fitBounds(bounds.pad(0.6), { maxZoom: 16 });
}
