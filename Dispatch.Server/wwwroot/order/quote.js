// The service, the quote and the order: pick a service, ask POST /api/quotes for the price of the trip, and place the
// order from the quote (POST /api/customers/me/orders), then pay and go to the tracking page.
import { $, el, showError } from "../common/dom.js";
import { call, money, problem } from "./api.js";
import { pay } from "./payment.js";
import { clearStops, trip } from "./places.js";

// trip: the trip's version, counted by every change, so a quote answered after the trip changed is not shown (nor ordered).
const state = { service: null, quote: null, trip: 0 };

export async function loadServices() {
  const result = await call("GET", "/api/services");
  if (!result.ok) return;
  $("services").replaceChildren(...result.body.map(serviceButton));
}

function serviceButton(service) {
  const button = el("button", "service");
  button.type = "button";
  button.setAttribute("role", "radio");
  button.setAttribute("aria-checked", "false");
  button.dataset.service = service.id;
  button.append(el("strong", null, service.name), el("span", null, service.description));
  button.addEventListener("click", () => {
    state.service = service;
    for (const other of $("services").children) other.setAttribute("aria-checked", String(other === button));
    $("shopping").hidden = service.kind !== "buyForMe";
    $("add-stop").hidden = service.kind !== "multiStop";
    if (service.kind !== "multiStop") clearStops();
    changed();
  });
  return button;
}

// Any change of the trip makes the shown quote stale.
export function changed() {
  state.trip++;
  state.quote = null;
  $("quote").hidden = true;
  $("quote-button").disabled = !(state.service && trip.pickup && trip.dropoff);
}

async function getQuote() {
  showError("quote-error", "");
  const body = { serviceId: state.service.id, pickup: trip.pickup, dropoff: trip.dropoff, stops: trip.stops.length ? trip.stops : null };
  const asked = state.trip;
  const result = await call("POST", "/api/quotes", body);
  if (asked !== state.trip) return undefined;
  if (!result.ok) return showError("quote-error", problem(result, "Could not price this trip."));
  state.quote = result.body;
  const q = result.body;
  $("quote-total").textContent = money(q.totalCents, q.currency);
  $("quote-lines").replaceChildren(
    ...q.lines.map((line) => {
      const item = el("li");
      item.append(el("span", null, line.label), el("span", null, money(line.amountCents, q.currency)));
      return item;
    }),
  );
  $("quote-eta").textContent = `Delivered in about ${q.etaMinutes} min`;
  $("quote-expiry").textContent =
    `price held until ${new Date(q.expiresAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
  $("quote").hidden = false;
}

async function placeOrder() {
  showError("place-error", "");
  // The trip on screen goes too: the server refuses an order whose quote priced another trip (409), whatever the page did.
  const body = {
    quoteId: state.quote.id,
    contactName: $("contact-name").value || null,
    serviceId: state.service.id,
    pickup: trip.pickup,
    dropoff: trip.dropoff,
    stops: trip.stops.length ? trip.stops : null,
  };
  if (state.service.kind === "buyForMe") {
    body.buyForMe = { priceCapCents: Math.round(Number($("price-cap").value) * 100), shoppingList: $("shopping-list").value };
  }
  $("place-button").disabled = true;
  const result = await call("POST", "/api/customers/me/orders", body);
  $("place-button").disabled = false;
  if (!result.ok) return showError("place-error", problem(result, "Could not place the order."));
  await pay(result.body);
  location.assign(result.body.trackingUrl);
}

export function wireQuote() {
  $("quote-button").addEventListener("click", getQuote);
  $("place-button").addEventListener("click", placeOrder);
}
