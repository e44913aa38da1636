// The order list: open orders (unassigned first, then late, then by promise) or search results (GET /api/orders/search).
import { apiPage } from "./api.js";
import { openOrder } from "./drawer.js";
import { courierName, groupOf, shortTime } from "./format.js";
import { hideMore, offerMore } from "./search-more.js";
import { GUID, MAX_LISTED, ORDER_NO, SEARCH_PAGE, STATUS_LABELS, board, state } from "./store.js";
import { $, el, showError } from "../common/dom.js";

export function orderRank(o, now) {
  const late = Date.parse(o.promisedAt) < now;
  const group = groupOf(o.status);
  return [group === "unassigned" ? 0 : late ? 1 : 2, Date.parse(o.promisedAt)];
}

export function renderOrders() {
  if (state.searchResults) return; // the list shows search results until cleared
  const now = Date.now();
  const orders = [...board.orders.values()].sort((a, b) => {
    const ra = orderRank(a, now),
      rb = orderRank(b, now);
    return ra[0] - rb[0] || ra[1] - rb[1];
  });
  $("list-title").textContent = `Open orders (${orders.length})`;
  $("orders").replaceChildren(...orders.slice(0, MAX_LISTED).map((o) => orderItem(o, now)));
  $("orders-empty").hidden = orders.length > 0;
  $("orders-empty").textContent = "No open orders in this zone.";
}

export function orderItem(o, now) {
  const li = el("li", "order-item");
  li.dataset.orderId = o.orderId || o.id;
  li.dataset.status = o.status;
  if (state.selectedOrder === li.dataset.orderId) li.classList.add("selected");
  const late = o.promisedAt && Date.parse(o.promisedAt) < now && !["delivered", "cancelled", "failed"].includes(o.status);
  const top = el("div", "oi-top");
  const tag = el("span", `status-tag status-${groupOf(o.status)}`, STATUS_LABELS[o.status] || o.status);
  tag.dataset.status = o.status;
  top.append(el("strong", "oi-number", o.number), tag);
  if (o.coldChain || o.kind === "frozen") top.append(el("span", "pill pill-cold", "Frozen"));
  if (o.kind === "hotFood") top.append(el("span", "pill pill-hot", "Hot food"));
  if (late) top.append(el("span", "pill pill-late", "late"));
  const route = el("div", "oi-route", `${o.pickupAddress || "pickup"} → ${o.dropoffAddress || "drop-off"}`);
  const who = o.courierId ? o.courierName || courierName(o.courierId) : "no courier";
  const extra = o.customerPhoneMasked ? ` · ${o.customerName || ""} ${o.customerPhoneMasked}` : "";
  const meta = el("div", "oi-meta", `${who} · promised ${shortTime(o.promisedAt)}${extra}`);
  li.append(top, route, meta);
  li.tabIndex = 0;
  li.addEventListener("click", () => openOrder(li.dataset.orderId));
  li.addEventListener("keydown", (e) => {
    if (e.key === "Enter") openOrder(li.dataset.orderId);
  });
  return li;
}

export function renderSearchResults(hits) {
  state.searchResults = [];
  $("search-clear").hidden = false;
  $("orders").replaceChildren();
  $("orders-empty").textContent = "No order matches.";
  appendSearchResults(hits);
}

// Adds a further page of results under those shown.
export function appendSearchResults(hits) {
  state.searchResults.push(...hits);
  const now = Date.now();
  $("orders").append(...hits.map((h) => orderItem(h, now)));
  $("list-title").textContent = `Search results (${state.searchResults.length})`;
  $("orders-empty").hidden = state.searchResults.length > 0;
}

export function clearSearch() {
  state.searchResults = null;
  hideMore();
  $("search-clear").hidden = true;
  $("lookup-input").value = "";
  $("search-from").value = "";
  $("search-to").value = "";
  showError("lookup-error", "");
  renderOrders();
}

$("search-clear").addEventListener("click", clearSearch);

$("lookup-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("lookup-input").value.trim();
  const from = $("search-from").value,
    to = $("search-to").value;
  showError("lookup-error", "");
  hideMore();
  if (!text && !from && !to) {
    showError("lookup-error", "Type an order number, id or customer phone, or pick dates.");
    return;
  }
  const button = $("lookup-button");
  button.disabled = true;
  try {
    if (GUID.test(text) && !from && !to) {
      await openOrder(text, { fromSearch: true });
      return;
    }
    const params = new URLSearchParams();
    if (text) {
      const digits = text.replace(/\D/g, "");
      if (ORDER_NO.test(text.replace(/\s/g, "")) && digits.length <= 7) params.set("q", text.replace(/\s/g, ""));
      else if (digits.length >= 6 && /^[+\d\s().-]+$/.test(text)) params.set("phone", text);
      else {
        showError("lookup-error", `“${text}” is neither an order number (D-000042), an order id nor a phone number.`);
        return;
      }
    }
    if (from) params.set("from", from);
    if (to) {
      const end = new Date(`${to}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 1); // the whole last day
      params.set("to", end.toISOString().slice(0, 10));
    }
    params.set("limit", String(SEARCH_PAGE));
    const { rows: hits, next } = await apiPage(`/api/orders/search?${params}`);
    renderSearchResults(hits);
    offerMore(params, next, appendSearchResults);
    if (hits.length === 1 && params.has("q")) await openOrder(hits[0].id);
  } catch (error) {
    showError("lookup-error", error.message || "Search failed.");
  } finally {
    button.disabled = false;
  }
});
