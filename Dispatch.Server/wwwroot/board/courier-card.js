// The courier card (click a courier): their open orders and moving all not yet picked up (POST /api/couriers/{id}/reassign).
import { api } from "./api.js";
import { fillCourierSelect } from "./commands.js";
import { openOrder } from "./drawer.js";
import { ago, courierName } from "./format.js";
import { ACTIVITY_LABELS, ASSIGNED, STATUS_LABELS, board, state } from "./store.js";
import { $, el, note, showError } from "../common/dom.js";

export function openCourier(id) {
  state.selectedCourier = id;
  showError("courier-error", "");
  $("courier-message").hidden = true;
  renderCourier();
  $("courier-card").hidden = false;
  $("courier-card").scrollIntoView({ block: "nearest", behavior: "smooth" });
}

export function closeCourier() {
  state.selectedCourier = null;
  $("courier-card").hidden = true;
}

$("courier-close").addEventListener("click", closeCourier);

export function renderCourier() {
  const id = state.selectedCourier;
  if (!id) return;
  const c = board.couriers.get(id);
  const card = $("courier-card");
  card.dataset.courierId = id;
  $("courier-title").textContent = courierName(id);
  $("courier-info").textContent = c
    ? `${c.stale ? "Stale" : ACTIVITY_LABELS[c.activity] || c.activity} · last position ${ago(c.at)} · ${c.activeOrders} active order${c.activeOrders === 1 ? "" : "s"}`
    : "Not on the map any more (offline or silent for a long time).";
  const orders = [...board.orders.values()].filter((o) => o.courierId === id);
  $("courier-orders").replaceChildren(
    ...orders.map((o) => {
      const li = el("li", null);
      li.append(
        el("strong", null, o.number),
        document.createTextNode(` · ${STATUS_LABELS[o.status] || o.status} · ${o.dropoffAddress || ""}`),
      );
      li.addEventListener("click", () => openOrder(o.orderId));
      return li;
    }),
  );
  if (!orders.length) $("courier-orders").replaceChildren(el("li", "muted", "No open orders."));
  const movable = orders.filter((o) => ASSIGNED.includes(o.status)).length;
  $("bulk-box").hidden = movable === 0;
  if (movable > 0 && document.activeElement !== $("bulk-target")) {
    fillCourierSelect($("bulk-target"), c || { lat: orders[0].pickupLat, lon: orders[0].pickupLon }, id, {
      label: "The best courier for each order",
      value: "",
    });
  }
}

$("bulk-button").addEventListener("click", async () => {
  const id = state.selectedCourier;
  if (!id) return;
  const to = $("bulk-target").value;
  showError("courier-error", "");
  $("courier-message").hidden = true;
  const button = $("bulk-button");
  button.disabled = true;
  try {
    const result = await api("POST", `/api/couriers/${encodeURIComponent(id)}/reassign`, to ? { toCourierId: to } : {});
    const moved = result.moved.map((m) => `${m.number} → ${m.courierName}`);
    const kept = result.kept.map((k) => `${k.number} stays (${k.reason})`);
    note("courier-message", [moved.length ? `Moved ${moved.join(", ")}.` : "Nothing moved.", ...kept].join(" "));
  } catch (error) {
    showError("courier-error", error.message);
  } finally {
    button.disabled = false;
  }
});
