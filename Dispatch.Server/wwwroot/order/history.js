// The customer's orders, newest first, a page at a time (GET /api/customers/me/orders?before=…): number, status, price,
// rating, and the tracking link; Cancel while no courier has accepted (refunded in full), Rate once delivered.
import { $, el } from "../common/dom.js";
import { call, money, problem } from "./api.js";

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
  const refunded = order.refundedCents > 0 ? ` · refunded ${money(order.refundedCents, order.currency)}` : "";
  left.append(el("div", "status", `${order.paymentState}${refunded}`));
  left.append(receiptButton(order));
  if (order.cancellable) left.append(cancelButton(order));
  if (order.status === "delivered" && !order.ratingStars) left.append(rateForm(order));
  item.append(left, el("span", null, order.totalCents == null ? "" : money(order.totalCents, order.currency)));
  return item;
}

// The receipt, read when asked: the quote's price lines, what was paid (how and when) and what went back.
function receiptButton(order) {
  const button = el("button", "btn btn-secondary order-receipt-button", "Receipt");
  button.type = "button";
  button.addEventListener("click", async () => {
    button.disabled = true;
    const result = await call("GET", `/api/customers/me/orders/${order.id}`);
    if (!result.ok) {
      button.disabled = false;
      return button.after(el("p", "form-error", problem(result, "Could not load the receipt.")));
    }
    button.replaceWith(receipt(result.body));
  });
  return button;
}

function receipt(view) {
  const list = el("ul", "order-receipt");
  const currency = view.quote?.currency;
  for (const line of view.quote?.lines ?? []) list.append(el("li", null, `${line.label}: ${money(line.amountCents, currency)}`));
  if (view.quote) list.append(el("li", "total", `Total: ${money(view.quote.totalCents, currency)}`));
  if (view.paidCents != null) {
    const at = view.paidAt ? ` on ${new Date(view.paidAt).toLocaleString()}` : "";
    list.append(el("li", null, `Paid ${money(view.paidCents, currency)} with ${view.paymentMethod ?? "?"}${at}`));
  }
  if (view.refundedCents > 0) {
    const at = view.refundedAt ? ` on ${new Date(view.refundedAt).toLocaleString()}` : "";
    list.append(el("li", null, `Refunded ${money(view.refundedCents, currency)}${at}`));
  }
  return list;
}

function cancelButton(order) {
  const button = el("button", "btn btn-secondary order-cancel", "Cancel");
  button.type = "button";
  button.addEventListener("click", async () => {
    button.disabled = true;
    const result = await call("POST", `/api/customers/me/orders/${order.id}/cancel`, {});
    if (!result.ok) {
      button.disabled = false;
      return button.after(el("p", "form-error", problem(result, "Could not cancel the order.")));
    }
    await loadOrders();
  });
  return button;
}

function rateForm(order) {
  const form = el("form", "order-rate");
  const stars = el("select");
  stars.setAttribute("aria-label", "Stars");
  for (let n = 5; n >= 1; n -= 1) {
    const option = el("option", null, "★".repeat(n));
    option.value = String(n);
    stars.append(option);
  }
  const comment = el("input");
  comment.placeholder = "Comment (optional)";
  comment.maxLength = 500;
  const send = el("button", "btn btn-primary order-rate-send", "Rate");
  send.type = "submit";
  const error = el("p", "form-error");
  error.hidden = true;
  form.append(stars, comment, send, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    const body = { stars: Number(stars.value), comment: comment.value || null };
    const result = await call("POST", `/api/customers/me/orders/${order.id}/rating`, body);
    if (!result.ok) {
      send.disabled = false;
      error.textContent = problem(result, "Could not send the rating.");
      error.hidden = false;
      return;
    }
    await loadOrders();
  });
  return form;
}

export function wireHistory() {
  $("more-orders").addEventListener("click", () => loadOrders(false));
}
