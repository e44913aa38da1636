// The customer's orders, newest first, a page at a time (GET /api/customers/me/orders?before=…): number, status, price,
// rating, and the tracking link.
import { $, el } from "../common/dom.js";
import { call, money } from "./api.js";

let nextBefore = null;

export async function loadOrders(reset = true) {
  if (reset) {
    $("orders").replaceChildren();
    nextBefore = null;
  }
  const query = nextBefore ? `?limit=10&before=${nextBefore}` : "?limit=10";
  const result = await call("GET", `/api/customers/me/orders${query}`);
  if (!result.ok) return;
  for (const order of result.body.orders) $("orders").append(row(order));
  if (reset && result.body.orders.length === 0) $("orders").append(el("li", "status", "No orders yet."));
  nextBefore = result.body.nextBefore;
  $("more-orders").hidden = !nextBefore;
}

function row(order) {
  const item = el("li");
  item.dataset.orderId = order.id;
  const link = el("a", null, order.number);
  link.href = order.trackingUrl;
  const left = el("div");
  left.append(link, el("div", "status", `${order.status}${order.ratingStars ? ` · ${"★".repeat(order.ratingStars)}` : ""}`));
  item.append(left, el("span", null, order.totalCents == null ? "" : money(order.totalCents, order.currency)));
  return item;
}

export function wireHistory() {
  $("more-orders").addEventListener("click", () => loadOrders(false));
}
