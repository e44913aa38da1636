// The position: the phone's GPS or a typed "lat, lon" (manual mode), sent with SendFixes every 2 seconds while online.
import { $, showError } from "../common/dom.js";
import { renderJob } from "./job.js";
import { FIX_INTERVAL_MS, currentJob, state } from "./state.js";
import { selected } from "./ui.js";

export function parsePosition(text) {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text || "");
  if (!match) return null;
  const lat = Number(match[1]);
  const lon = Number(match[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

export function setPosition(position, source) {
  state.position = position;
  const el = $("position-status");
  el.dataset.fix = source;
  el.dataset.lat = position.lat.toFixed(6);
  el.dataset.lon = position.lon.toFixed(6);
  const accuracy = position.accuracy ? ` · ±${Math.round(position.accuracy)} m` : "";
  el.textContent = `${source === "gps" ? "GPS" : "Manual"} · ${position.lat.toFixed(5)}, ${position.lon.toFixed(5)}${accuracy}`;
  if (state.online) sendFix();
  if (currentJob()) renderJob(currentJob());
}

export function setMode(mode) {
  state.mode = mode;
  document.querySelector(`input[name="mode"][value="${mode}"]`).checked = true;
  $("manual-form").hidden = mode !== "manual";
  showError("position-error", "");
  if (state.watchId !== null) {
    navigator.geolocation.clearWatch(state.watchId);
    state.watchId = null;
  }
  if (mode === "gps") {
    if (!("geolocation" in navigator)) {
      showError("position-error", "This browser has no location service; use manual mode.");
      return;
    }
    $("position-status").textContent = "Waiting for GPS…";
    state.watchId = navigator.geolocation.watchPosition(
      (p) =>
        setPosition(
          {
            lat: p.coords.latitude,
            lon: p.coords.longitude,
            accuracy: p.coords.accuracy || 10,
            speed: p.coords.speed || 0,
            heading: p.coords.heading || 0,
          },
          "gps",
        ),
      (error) =>
        showError(
          "position-error",
          error.code === 1
            ? "Location is blocked for this page. Allow it in the browser, or use manual mode."
            : "No GPS fix yet. Move into the open, or use manual mode.",
        ),
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 },
    );
  }
}

$("position-mode").addEventListener("change", () => setMode(selected("mode")));
$("manual-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const position = parsePosition($("manual-position").value);
  if (!position) {
    showError("position-error", "Type the position as latitude, longitude — e.g. 43.7396, 7.4276.");
    return;
  }
  showError("position-error", "");
  setPosition({ ...position, accuracy: 5, speed: 0, heading: 0 }, "manual");
});

// Each fix carries a time strictly after the previous one, so a repeated manual position is still fresh.
export async function sendFix() {
  if (!state.online || !state.position || state.sending || !state.connection) return;
  if (state.connection.state !== signalR.HubConnectionState.Connected) return;
  const now = Math.max(Date.now(), state.lastFixTime + 1);
  state.lastFixTime = now;
  const p = state.position;
  state.sending = true;
  try {
    const result = await state.connection.invoke("SendFixes", [
      {
        time: new Date(now).toISOString(),
        lat: p.lat,
        lon: p.lon,
        accuracy: p.accuracy || 5,
        speed: p.speed || 0,
        heading: p.heading || 0,
      },
    ]);
    const el = $("position-status");
    el.dataset.sent = String(result.accepted > 0);
    if (result.rejected && result.rejected.length > 0) showError("position-error", `Position not used: ${result.rejected[0].reason}`);
    else if (state.mode === "manual" || state.watchId !== null) showError("position-error", "");
  } catch {
    // The connection is down; the next tick tries again.
  } finally {
    state.sending = false;
  }
}

export function startFixes() {
  if (state.fixTimer) return;
  sendFix();
  state.fixTimer = setInterval(sendFix, FIX_INTERVAL_MS);
}

export function stopFixes() {
  clearInterval(state.fixTimer);
  state.fixTimer = null;
}
