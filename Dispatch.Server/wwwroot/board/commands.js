// Commands in the order drawer: assign or reassign, cancel, the hand-over overrides and marking failed.
import { api } from "./api.js";
import { loadOrder } from "./drawer.js";
import { courierName, distanceText, metres } from "./format.js";
import { ACTIVITY_LABELS, board, state } from "./store.js";
import { $, note, showError } from "../common/dom.js";

// Online couriers, nearest to a point first; `exclude` is left out, `firstOption` leads the list.
export function fillCourierSelect(select, near, exclude, firstOption) {
  const options = [];
  if (firstOption) options.push(new Option(firstOption.label, firstOption.value));
  const couriers = [...board.couriers.entries()]
    .filter(([id, c]) => id !== exclude && c.activity !== "offline" && !c.stale)
    .map(([id, c]) => ({ id, c, d: metres(near, c) }))
    .sort((a, b) => a.d - b.d);
  for (const { id, c, d } of couriers) {
    const option = new Option(
      `${c.name || id.slice(0, 8)} · ${ACTIVITY_LABELS[c.activity] || c.activity} · ${c.activeOrders} order${c.activeOrders === 1 ? "" : "s"} · ${distanceText(d)}`,
      id,
    );
    options.push(option);
  }
  if (options.length === 0) {
    const none = new Option("No courier online", "");
    none.disabled = true;
    options.push(none);
  }
  select.replaceChildren(...options);
}

$("assign-button").addEventListener("click", async () => {
  const id = state.selectedOrder;
  const courierId = $("assign-courier").value;
  showError("order-error", "");
  $("order-message").hidden = true;
  if (!id) return;
  if (!courierId) {
    showError("order-error", "Pick a courier first.");
    return;
  }
  const button = $("assign-button");
  button.disabled = true;
  try {
    const result = await api("POST", `/api/orders/${encodeURIComponent(id)}/assign`, { courierId });
    note(
      "order-message",
      `${result.number} is now with ${result.courierName}${result.previousCourierId ? ` (was ${courierName(result.previousCourierId)})` : ""}.`,
    );
    await loadOrder(id);
  } catch (error) {
    showError("order-error", error.message);
  } finally {
    button.disabled = false;
  }
});

$("cancel-button").addEventListener("click", async () => {
  const id = state.selectedOrder;
  const reason = $("cancel-reason").value.trim();
  showError("order-error", "");
  $("order-message").hidden = true;
  if (!id) return;
  if (!reason) {
    showError("order-error", "Say why the order is cancelled; the courier and the timeline show it.");
    $("cancel-reason").focus();
    return;
  }
  const button = $("cancel-button");
  button.disabled = true;
  try {
    await api("POST", `/api/orders/${encodeURIComponent(id)}/cancel`, { reason });
    $("cancel-reason").value = "";
    note("order-message", "Order cancelled; the courier has been told.");
    await loadOrder(id);
  } catch (error) {
    showError("order-error", error.message);
  } finally {
    button.disabled = false;
  }
});

// The hand-over at the drop-off: a dispatcher unlocks PIN entry after too many wrong PINs, or lets the courier deliver
// away from the drop-off; the server refuses what does not apply and records the reason in the timeline.
export async function handOver(path, button, done) {
  const id = state.selectedOrder;
  const reason = $("handover-reason").value.trim();
  showError("order-error", "");
  $("order-message").hidden = true;
  if (!id) return;
  if (!reason) {
    showError("order-error", "Say why; the reason is recorded in the order's timeline.");
    $("handover-reason").focus();
    return;
  }
  button.disabled = true;
  try {
    await api("POST", `/api/orders/${encodeURIComponent(id)}/${path}`, { reason });
    $("handover-reason").value = "";
    note("order-message", done);
    await loadOrder(id);
  } catch (error) {
    showError("order-error", error.message);
  } finally {
    button.disabled = false;
  }
}

$("unlock-pin-button").addEventListener("click", (e) =>
  handOver("unlock-pin", e.currentTarget, "PIN entry unlocked; the courier can enter the PIN again."),
);
$("allow-place-button").addEventListener("click", (e) =>
  handOver("allow-any-place", e.currentTarget, "The courier may now deliver away from the drop-off."),
);

// After pickup an order can no longer be cancelled, only marked failed: the courier and the customer are told the reason.
$("fail-button").addEventListener("click", async () => {
  const id = state.selectedOrder;
  const reason = $("fail-reason").value.trim();
  showError("order-error", "");
  $("order-message").hidden = true;
  if (!id) return;
  if (!reason) {
    showError("order-error", "Say why the order failed; the courier and the timeline show it.");
    $("fail-reason").focus();
    return;
  }
  const button = $("fail-button");
  button.disabled = true;
  try {
    await api("POST", `/api/orders/${encodeURIComponent(id)}/fail`, { reason });
    $("fail-reason").value = "";
    note("order-message", "Order marked failed; the courier and the customer have been told.");
    await loadOrder(id);
  } catch (error) {
    showError("order-error", error.message);
  } finally {
    button.disabled = false;
  }
});
