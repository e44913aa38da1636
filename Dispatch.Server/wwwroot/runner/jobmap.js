// The current job's small map: the served streets (common/streets.js via createMap), the courier's position and the
// next target (pickup, stop or drop-off), so the courier sees the way without leaving the page.
import { createMap } from "../common/map.js";

let map = null;
let target = null;
let me = null;

export function drawJobMap(lat, lon, position) {
  if (!map) {
    map = createMap("job-map");
    map.setView([lat, lon], 16);
    target = L.circleMarker([lat, lon], { radius: 9, weight: 3, color: "#0f766e", fillColor: "#ffffff", fillOpacity: 1 }).addTo(map);
    me = L.circleMarker([lat, lon], { radius: 7, weight: 2, color: "#ffffff", fillColor: "#2563eb", fillOpacity: 1 });
  }
  target.setLatLng([lat, lon]);
  const points = [[lat, lon]];
  if (position) {
    me.setLatLng([position.lat, position.lon]).addTo(map);
    points.push([position.lat, position.lon]);
  }
  // The card may have just been shown: Leaflet measures its box again before fitting.
  requestAnimationFrame(() => {
    map.invalidateSize();
    map.fitBounds(L.latLngBounds(points), { padding: [28, 28], maxZoom: 17 });
  });
}
