// Times, distances and names as the board writes them.
import { board, UNASSIGNED, CARRYING } from "./store.js";

export const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
export const shortClock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function time(value) {
  const d = new Date(value);
  return isNaN(d) ? "" : clock.format(d);
}

export function shortTime(value) {
  const d = new Date(value);
  return isNaN(d) ? "" : shortClock.format(d);
}

export function ago(value) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(value)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min ago`;
}

export function metres(a, b) {
  const r = 6371008.8,
    rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad,
    dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

export function distanceText(m) {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}

export function courierName(id) {
  const c = board.couriers.get(id);
  return (c && c.name) || (id ? `Courier ${id.slice(0, 8)}` : "");
}

// Courier ids in event actors and notes ("courier:0196…", "courier 0196…") read as the courier's name when the board knows it.
export function readable(text) {
  return String(text || "").replace(/courier[: ]([0-9a-f]{32})/g, (match, hex) => {
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const c = board.couriers.get(id);
    return c && c.name ? `courier ${c.name}` : match;
  });
}

export function groupOf(status) {
  if (UNASSIGNED.includes(status)) return "unassigned";
  if (CARRYING.includes(status)) return "carrying";
  return "assigned";
}
