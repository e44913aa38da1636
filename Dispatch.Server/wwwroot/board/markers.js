// Couriers and open orders on the map: canvas circles created once, then only moved or recoloured.
import { openCourier } from "./courier-card.js";
import { openOrder } from "./drawer.js";
import { courierName, groupOf, shortTime, time } from "./format.js";
import { ACTIVITY_LABELS, CARRYING, COLOURS, ORDER_COLOURS, STALE_MS, STATUS_LABELS, board, state } from "./store.js";

export function colourOf(c) {
  return c.stale ? COLOURS.stale : COLOURS[c.activity] || COLOURS.offline;
}

export function isStale(c, now) {
  return c.activity !== "offline" && now - Date.parse(c.at) > STALE_MS;
}

// Tooltips are text nodes: Leaflet puts a string tooltip in as HTML, and names come from outside.
export function tooltip(id, c) {
  const label = c.stale ? "Stale" : ACTIVITY_LABELS[c.activity] || c.activity;
  return document.createTextNode(
    `${c.name || id.slice(0, 8)} · ${label} · ${c.activeOrders} order${c.activeOrders === 1 ? "" : "s"} · ${time(c.at)}`,
  );
}

// Adds or moves one courier; its marker is created once and then only moved or recoloured.
export function upsert(bc, now) {
  const id = bc.courierId;
  let c = board.couriers.get(id);
  if (!c) {
    c = { lat: bc.lat, lon: bc.lon, at: bc.at, activity: bc.activity, activeOrders: bc.activeOrders, name: bc.name || null, stale: false };
    c.stale = isStale(c, now);
    board.couriers.set(id, c);
    const marker = L.circleMarker([c.lat, c.lon], {
      renderer: state.renderer,
      radius: 6,
      weight: 1.5,
      color: "#ffffff",
      fillColor: colourOf(c),
      fillOpacity: 0.95,
    }).addTo(state.map);
    marker.bindTooltip(() => tooltip(id, board.couriers.get(id)), { direction: "top", offset: [0, -4] });
    marker.on("click", () => openCourier(id));
    state.markers.set(id, marker);
    return;
  }
  const before = colourOf(c);
  const moved = c.lat !== bc.lat || c.lon !== bc.lon;
  c.lat = bc.lat;
  c.lon = bc.lon;
  c.at = bc.at;
  c.activity = bc.activity;
  c.activeOrders = bc.activeOrders;
  if (bc.name) c.name = bc.name;
  c.stale = isStale(c, now);
  const marker = state.markers.get(id);
  if (moved) marker.setLatLng([c.lat, c.lon]);
  const after = colourOf(c);
  if (after !== before) marker.setStyle({ fillColor: after });
}

export function removeCourier(id) {
  const marker = state.markers.get(id);
  if (marker) marker.remove();
  state.markers.delete(id);
  board.couriers.delete(id);
}

// Before pickup an order sits at its pickup; on the way, at its drop-off.
export function orderPlace(o) {
  return CARRYING.includes(o.status) ? [o.dropoffLat, o.dropoffLon] : [o.pickupLat, o.pickupLon];
}

export function orderTooltip(o) {
  const who = o.courierName || (o.courierId ? courierName(o.courierId) : "no courier yet");
  return document.createTextNode(`${o.number} · ${STATUS_LABELS[o.status] || o.status} · ${who} · promised ${shortTime(o.promisedAt)}`);
}

export function upsertOrder(o) {
  board.orders.set(o.orderId, o);
  const colour = ORDER_COLOURS[groupOf(o.status)];
  let marker = state.orderMarkers.get(o.orderId);
  if (!marker) {
    marker = L.circleMarker(orderPlace(o), {
      renderer: state.orderRenderer,
      pane: "orders",
      radius: 7,
      weight: 3,
      color: colour,
      fillColor: "#ffffff",
      fillOpacity: 0.9,
    }).addTo(state.map);
    marker.bindTooltip(() => orderTooltip(board.orders.get(o.orderId) || o), { direction: "top", offset: [0, -6] });
    marker.on("click", () => openOrder(o.orderId));
    state.orderMarkers.set(o.orderId, marker);
    return;
  }
  marker.setLatLng(orderPlace(o));
  marker.setStyle({ color: colour });
}

export function removeOrder(id) {
  const marker = state.orderMarkers.get(id);
  if (marker) marker.remove();
  state.orderMarkers.delete(id);
  board.orders.delete(id);
}
