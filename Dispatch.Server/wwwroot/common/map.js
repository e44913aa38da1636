// The Leaflet map the pages share: no attribution or default zoom control, the served zones' streets from the server's
// vector tiles (streets.js), and raster tiles on top only when a tile URL is set (?tiles= or body[data-tile-url]; the
// Content-Security-Policy lists the allowed tile sources), otherwise a plain background (body.no-tiles).
import { addStreets } from "./streets.js";

const WORLD = [
  [-85, -180],
  [-85, 180],
  [85, 180],
  [85, -180],
];

export function tileSettings() {
  const query = new URLSearchParams(location.search);
  return {
    url: query.get("tiles") || document.body.dataset.tileUrl || "",
    attribution: query.get("tilesAttribution") || document.body.dataset.tileAttribution || "",
  };
}

// A map in the element with this id, with a "zones" pane under everything else.
export function createMap(id) {
  const map = L.map(id, { zoomControl: false, attributionControl: false, zoomSnap: 0.25 });
  L.control.zoom({ position: "bottomright" }).addTo(map);
  addStreets(map);
  const tiles = tileSettings();
  if (tiles.url) {
    L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution }).addTo(map);
    if (tiles.attribution) L.control.attribution({ prefix: false }).addTo(map);
  } else {
    document.body.classList.add("no-tiles");
  }
  map.createPane("zones").style.zIndex = 250;
  return map;
}

// Shades everything outside the zones (so the delivery area's edge shows without tiles) and outlines each zone.
export function drawZones(map, zones) {
  L.polygon([WORLD, ...zones.map((z) => z.boundary)], { pane: "zones", className: "zone-mask", stroke: false, interactive: false }).addTo(
    map,
  );
  for (const zone of zones) {
    L.polygon(zone.boundary, { pane: "zones", className: "zone", weight: 1.5, fill: false, interactive: false }).addTo(map);
  }
}
