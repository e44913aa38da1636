// Where the errand goes: pickup, stops and drop-off, set by tapping the map (the active pin) or from saved addresses.
import { $, el } from "../common/dom.js";
import { createMap, drawZones } from "../common/map.js";

export const trip = { pickup: null, dropoff: null, stops: [] };
let map = null;
let active = "pickup";
const markers = {};
const stopMarkers = [];
const STOP_ACTIONS = [
  ["pickup", "Collect something"],
  ["dropoff", "Leave something"],
];
let changedTrip = () => {};
const HINTS = { pickup: "Tap the map to set the pickup", dropoff: "Tap the map to set the drop-off", stop: "Tap the map to add the stop" };

export async function startMap(onChange) {
  if (map) return;
  map = createMap("map");
  map.setView([43.7384, 7.4246], 14);
  window.orderMap = map; // for the browser tests and the console
  map.on("click", (e) => {
    place(active, { lat: e.latlng.lat, lon: e.latlng.lng, address: "" });
    onChange();
  });
  const response = await fetch("/api/zones", { headers: { Accept: "application/json" } }).catch(() => null);
  if (response && response.ok) {
    const zones = await response.json();
    drawZones(map, zones);
    const first = zones[0]?.boundary;
    if (first) map.fitBounds(first, { padding: [20, 20] });
  }
}

// Sets a place: the pin on the map and the address field; a stop is added to the list.
export function place(which, at) {
  const point = [at.lat, at.lon];
  if (which === "stop") {
    trip.stops.push({ lat: at.lat, lon: at.lon, address: at.address || `Stop ${trip.stops.length + 1}`, action: "pickup" });
    if (map) stopMarkers.push(L.circleMarker(point, { radius: 7, color: "#475569" }).addTo(map));
    renderStops();
    choose("dropoff");
    return;
  }
  trip[which] = { lat: at.lat, lon: at.lon, address: at.address || $(`${which}-address`).value };
  if (at.address) $(`${which}-address`).value = at.address;
  if (map) {
    markers[which]?.remove();
    markers[which] = L.circleMarker(point, { radius: 9, color: which === "pickup" ? "#1e293b" : "#e11d48", fillOpacity: 0.9 }).addTo(map);
  }
  if (which === "pickup" && !trip.dropoff) choose("dropoff");
}

// Each stop: its address and whether the courier collects or leaves something there, editable like the pickup's.
function renderStops() {
  $("stop-list").replaceChildren(...trip.stops.map(stopRow));
  $("stop-list").hidden = trip.stops.length === 0;
}

function stopRow(stop, index) {
  const address = el("input", "stop-address");
  address.maxLength = 300;
  address.value = stop.address;
  address.setAttribute("aria-label", `Stop ${index + 1} address`);
  address.addEventListener("input", () => {
    stop.address = address.value;
    changedTrip();
  });
  const action = el("select", "stop-action");
  action.setAttribute("aria-label", `At stop ${index + 1}`);
  for (const [value, label] of STOP_ACTIONS) {
    const choice = el("option", null, label);
    choice.value = value;
    action.append(choice);
  }
  action.value = stop.action;
  action.addEventListener("change", () => {
    stop.action = action.value;
    changedTrip();
  });
  const row = el("li", "stop-row");
  row.append(address, action);
  return row;
}

export function choose(which) {
  active = which;
  $("pick-pickup").dataset.active = String(which === "pickup");
  $("pick-dropoff").dataset.active = String(which === "dropoff");
  $("map-hint").textContent = HINTS[which];
}

// Another service has no stops: they leave the trip and the map (a pin left behind would look like part of the errand).
export function clearStops() {
  trip.stops = [];
  for (const marker of stopMarkers.splice(0)) marker.remove();
  if (active === "stop") choose(trip.pickup ? "dropoff" : "pickup");
  renderStops();
}

// Fills both "saved places" lists; choosing one sets that place.
export function savedPlaces(addresses, onChange) {
  for (const which of ["pickup", "dropoff"]) {
    const select = $(`${which}-saved`);
    select.replaceChildren(el("option", null, "Saved places…"), ...addresses.map((a) => option(a)));
    select.firstChild.value = "";
    select.onchange = () => {
      const chosen = addresses.find((a) => a.id === select.value);
      if (chosen) place(which, chosen);
      onChange();
    };
  }
}

function option(address) {
  const node = el("option", null, `${address.label} — ${address.address}`);
  node.value = address.id;
  return node;
}

export function wirePlaces(onChange) {
  changedTrip = onChange;
  $("pick-pickup").addEventListener("click", () => choose("pickup"));
  $("pick-dropoff").addEventListener("click", () => choose("dropoff"));
  $("add-stop").addEventListener("click", () => choose("stop"));
  for (const which of ["pickup", "dropoff"]) {
    $(`${which}-address`).addEventListener("input", () => {
      if (trip[which]) trip[which].address = $(`${which}-address`).value;
      onChange();
    });
  }
}
