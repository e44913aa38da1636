// The tracking map: the shared Leaflet setup, pickup (A), drop-off (B) and a multi-stop errand's numbered stops, and
// the served zones' outlines with their names.
import { createMap, drawZones } from "../common/map.js";
import { FIT_MAX_ZOOM, state } from "./state.js";

export function icon(kind, glyph) {
  return L.divIcon({
    className: "pin-wrap",
    html: `<div class="pin pin-${kind}"><span>${glyph}</span></div>`,
    iconSize: [36, 44],
    iconAnchor: [18, 42],
  });
}

export function stopIcon(stop) {
  return L.divIcon({
    className: "pin-wrap",
    html: `<div class="pin pin-stop${stop.doneAt ? " pin-done" : ""}" data-stop="${stop.index}"><span>${stop.doneAt ? "✓" : stop.index + 1}</span></div>`,
    iconSize: [30, 38],
    iconAnchor: [15, 36],
  });
}

export function initMap(snapshot) {
  const map = createMap("map");
  const pickup = [snapshot.pickupLat, snapshot.pickupLon];
  const dropoff = [snapshot.dropoffLat, snapshot.dropoffLon];
  // The view comes first: Leaflet adds layers (and creates their elements) only once the map has one.
  const stops = (snapshot.stops || []).map((x) => [x.lat, x.lon]);
  map.fitBounds(L.latLngBounds([pickup, dropoff, ...stops]), { padding: [48, 48], maxZoom: FIT_MAX_ZOOM });
  state.layers.route = L.polyline([], { className: "route", weight: 4, dashArray: "2 10", lineCap: "round" }).addTo(map);
  state.layers.pickup = L.marker(pickup, { icon: icon("pickup", "A"), title: "Pickup", keyboard: false }).addTo(map);
  state.layers.dropoff = L.marker(dropoff, { icon: icon("dropoff", "B"), title: "Your address", keyboard: false }).addTo(map);
  state.layers.pickup.getElement().dataset.role = "pickup";
  state.layers.dropoff.getElement().dataset.role = "dropoff";
  // A multi-stop errand's stops, numbered in order; a stop done turns into a tick.
  state.layers.stops = (snapshot.stops || []).map((x) => {
    const marker = L.marker([x.lat, x.lon], { icon: stopIcon(x), title: `Stop ${x.index + 1}: ${x.address}`, keyboard: false }).addTo(map);
    marker.getElement().dataset.role = "stop";
    return marker;
  });
  state.map = map;
  loadZones(map);
}

// The served zone outlines give a plain map its bearings; a failure here only loses the outline.
async function loadZones(map) {
  try {
    const response = await fetch("/api/zones", { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const zones = await response.json();
    if (!state.map || zones.length === 0) return;
    drawZones(map, zones);
    for (const zone of zones) {
      L.marker([zone.bounds.maxLat, zone.centre.lon], {
        pane: "zones",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "zone-label", html: `<span>${escapeHtml(zone.name)} delivery area</span>`, iconSize: null }),
      }).addTo(map);
    }
  } catch {
    // Offline or blocked: the page works without the outline.
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
