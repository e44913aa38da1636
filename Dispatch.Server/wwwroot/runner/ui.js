// Small pieces of the runner's screen: toasts, distances, the courier's name, radio choices and one-tap actions.
import { $ } from "../common/dom.js";
import { serverMessage } from "../common/hub.js";
import { state } from "./state.js";

export function explain(error, fallback) {
  return serverMessage(error) || fallback;
}

let toastTimer = 0;
export function toast(text, kind) {
  const el = $("toast");
  el.textContent = text;
  el.dataset.kind = kind || "info";
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

export function formatDistance(metres) {
  if (!(metres >= 0)) return "";
  return metres < 1000 ? `${Math.round(metres / 10) * 10} m away` : `${(metres / 1000).toFixed(1)} km away`;
}

export function coords(lat, lon) {
  return `${lat.toFixed(5)},${lon.toFixed(5)}`;
}

export function showName(name) {
  $("courier-name").textContent = name || "Courier";
  $("avatar").textContent = (name || "?").trim().charAt(0).toUpperCase();
}

export function selected(name) {
  const input = document.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : null;
}

// Runs one courier action with its button disabled, so a double tap does not send it twice.
export async function act(button, work) {
  state.busy = true;
  button.disabled = true;
  button.classList.add("is-busy");
  try {
    await work();
  } finally {
    state.busy = false;
    button.disabled = false;
    button.classList.remove("is-busy");
  }
}
