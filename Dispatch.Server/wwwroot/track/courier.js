// The courier on the map (gliding from fix to fix, a coarse circle before pickup) and the route line ahead of them.
import { $ } from "../common/dom.js";
import { ANIMATION_MAX_MS, CARRYING, COARSE_RADIUS_METRES, FIT_MAX_ZOOM, state } from "./state.js";

const COURIER_SVG =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 7c0-1.1-.9-2-2-2h-3v2h3v2.65L13.52 14H10V9H6c-2.21 0-4 1.79-4 4v3h2c0 1.66 1.34 3 3 3s3-1.34 3-3h4.48L19 10.35V7zM7 17c-.55 0-1-.45-1-1h2c0 .55-.45 1-1 1z"/><path d="M5 6h5v2H5zM19 13c-1.66 0-3 1.34-3 3s1.34 3 3 3 3-1.34 3-3-1.34-3-3-3zm0 4c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1z"/></svg>';

export function ensureCourierMarker(latlng) {
  if (state.layers.courier) return state.layers.courier;
  const marker = L.marker(latlng, {
    icon: L.divIcon({
      className: "pin-wrap",
      html: `<div class="courier-dot"><span class="pulse"></span>${COURIER_SVG}</div>`,
      iconSize: [44, 44],
      iconAnchor: [22, 22],
    }),
    title: "Courier",
    keyboard: false,
    zIndexOffset: 1000,
  }).addTo(state.map);
  marker.getElement().id = "courier-marker";
  marker.getElement().dataset.role = "courier";
  state.layers.courier = marker;
  state.layers.approx = L.circle(latlng, { radius: COARSE_RADIUS_METRES, className: "approx-area", interactive: false }).addTo(state.map);
  return marker;
}

// Glides the courier marker from where it is drawn to the new fix, so it moves instead of jumping.
export function moveCourier(position) {
  if (!state.map) return;
  const target = L.latLng(position.lat, position.lon);
  const marker = ensureCourierMarker(target);
  const element = marker.getElement();
  element.dataset.lat = position.lat.toFixed(6);
  element.dataset.lon = position.lon.toFixed(6);
  element.dataset.coarse = String(position.coarse);
  element.classList.toggle("is-coarse", position.coarse);

  const from = marker.getLatLng();
  const now = performance.now();
  const duration = Math.min(ANIMATION_MAX_MS, Math.max(300, now - (state.lastFixAt || now - 1000)));
  state.lastFixAt = now;
  cancelAnimationFrame(state.animation);
  const pane = state.map.getPane("markerPane");
  pane.dataset.animating = "1";
  const step = (t) => {
    const k = Math.min(1, (t - now) / duration);
    const e = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2; // ease in-out
    const at = L.latLng(from.lat + (target.lat - from.lat) * e, from.lng + (target.lng - from.lng) * e);
    marker.setLatLng(at);
    state.layers.approx.setLatLng(at);
    drawRoute(at);
    if (k < 1) state.animation = requestAnimationFrame(step);
    else delete pane.dataset.animating;
  };
  state.animation = requestAnimationFrame(step);

  state.layers.approx.setStyle({ opacity: position.coarse ? 1 : 0, fillOpacity: position.coarse ? 0.14 : 0 });
  $("approx").hidden = !position.coarse;

  if (!state.fitted) {
    state.fitted = true;
    const s = state.snapshot;
    state.map.fitBounds(L.latLngBounds([target, [s.pickupLat, s.pickupLon], [s.dropoffLat, s.dropoffLon]]), {
      padding: [56, 56],
      maxZoom: FIT_MAX_ZOOM,
    });
  } else if (!state.map.getBounds().pad(-0.05).contains(target)) {
    state.map.panTo(target, { animate: true });
  }
}

// After delivery (or cancellation) the courier's whereabouts are none of the customer's business.
export function removeCourier() {
  if (!state.layers.courier) return;
  cancelAnimationFrame(state.animation);
  state.layers.courier.remove();
  state.layers.approx.remove();
  state.layers.courier = null;
  state.layers.approx = null;
}

// The planned road route when the server has one (solid); otherwise a dashed
// straight stand-in: courier → pickup → drop-off before pickup, courier → drop-off after.
export function drawRoute(courierAt) {
  const s = state.snapshot;
  if (!s || !state.layers.route) return;
  const pickup = [s.pickupLat, s.pickupLon];
  const dropoff = [s.dropoffLat, s.dropoffLon];
  // Straight lines go through a multi-stop errand's stops still to do.
  const open = (s.stops || []).filter((x) => !x.doneAt).map((x) => [x.lat, x.lon]);
  const status = state.status;
  const path = state.route && state.route.path.length > 1 ? state.route.path : null;
  let points;
  if (status === "delivered" || status === "cancelled" || status === "failed") points = [];
  // Before pickup the server's route starts at the pickup (the courier's way there is theirs): a line from the
  // approximate position joins it. Once carrying, the route is followed from the courier onwards.
  else if (path && !CARRYING.includes(status)) points = courierAt ? [courierAt, ...path] : path;
  else if (path) points = courierAt ? [courierAt, ...path.slice(nearestAhead(path, courierAt) + 1)] : path;
  else if (!courierAt) points = [pickup, ...open, dropoff];
  else if (CARRYING.includes(status)) points = [courierAt, ...open, dropoff];
  else points = [courierAt, pickup, ...open, dropoff];
  state.layers.route.setLatLngs(points);
  state.layers.route.setStyle({ dashArray: path ? null : "2 10" });
  state.layers.route.getElement()?.classList.toggle("route-planned", Boolean(path));
}

// Index of the path point nearest the courier, never behind the last one found (the courier moves forwards).
export function nearestAhead(path, at) {
  const k = Math.cos((at.lat * Math.PI) / 180);
  let best = state.routeIndex,
    bestD = Infinity;
  for (let i = state.routeIndex; i < path.length; i++) {
    const dy = path[i][0] - at.lat,
      dx = (path[i][1] - at.lng) * k;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  state.routeIndex = best;
  return best;
}

export function applyRoute(route) {
  if (!state.snapshot || !route || route.orderId !== state.snapshot.orderId) return;
  if (state.route && state.route.version > route.version) return;
  state.route = route;
  state.routeIndex = 0;
  drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
}
