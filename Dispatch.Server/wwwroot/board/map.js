// The board's map: the shared Leaflet setup with panes for the orders and the selected order, and the served zones
// (GET /api/zones), fitted to the zone this board watches (?zone=<name>, else the first).
import { createMap, drawZones } from "../common/map.js";
import { state } from "./store.js";

export function ensureMap() {
  if (state.map) return;
  const map = createMap("map");
  map.createPane("orders").style.zIndex = 390;
  map.createPane("selection").style.zIndex = 640;
  map.setView([43.7384, 7.4246], 14); // until the zones arrive
  state.renderer = L.canvas({ padding: 0.3 });
  state.orderRenderer = L.canvas({ padding: 0.3, pane: "orders" });
  state.map = map;
}

// Draws every zone and answers the name of the one to watch.
export async function loadZones() {
  const response = await fetch("/api/zones", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /api/zones answered ${response.status}`);
  const zones = await response.json();
  if (zones.length === 0) throw new Error("This server serves no zones.");
  state.zones = zones;
  const wanted = new URLSearchParams(location.search).get("zone");
  const zone = zones.find((z) => z.name === wanted) || zones[0];
  drawZones(state.map, zones);
  const b = zone.bounds;
  state.map.fitBounds(
    [
      [b.minLat, b.minLon],
      [b.maxLat, b.maxLon],
    ],
    { padding: [24, 24] },
  );
  return zone.name;
}
