// Follows an order's payment state by polling GET /api/customers/me/orders/{id} (the ordering page has no hub) until it is
// paid, failed or the order is cancelled. On a retry, a failure already there when the try started (the earlier one) is
// not taken as this try's answer; on a first try any failure is this try's, however soon it comes.
import { call } from "./api.js";

const POLL_MS = 1500;
const PAID = new Set(["paid", "refunded", "partlyRefunded"]);

export function outcomeOf(order) {
  if (order.status === "cancelled" || order.status === "failed") return "cancelled";
  if (PAID.has(order.paymentState)) return "paid";
  if (order.paymentState === "failed") return "failed";
  return "pending";
}

// Resolves "paid", "failed" or "cancelled"; rejects with an AbortError when signal aborts.
export async function watchPayment(orderId, signal, retry) {
  let first = retry ? undefined : "pending";
  for (;;) {
    signal.throwIfAborted();
    const result = await call("GET", `/api/customers/me/orders/${orderId}`);
    signal.throwIfAborted();
    if (result.ok) {
      const outcome = outcomeOf(result.body);
      if (outcome === "paid" || outcome === "cancelled") return outcome;
      if (first === undefined) first = outcome;
      else if (outcome === "failed" && first !== "failed") return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
