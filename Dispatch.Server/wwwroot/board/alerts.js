// The alert list and acknowledging an alert (POST /api/zones/{zone}/alerts/acknowledge).
import { api } from "./api.js";
import { openCourier } from "./courier-card.js";
import { openOrder } from "./drawer.js";
import { ago, time } from "./format.js";
import { board } from "./store.js";
import { $, el, showError } from "../common/dom.js";

// Line icons (SVG paths, 24×24) per alert kind: no icon font or emoji needed.
export const ALERT_ICONS = {
  staleCourier: "M2 8.8a15 15 0 0 1 20 0M5 12.6a10 10 0 0 1 14 0M8.5 16.4a5 5 0 0 1 7 0M12 20h.01M3 3l18 18",
  unassigned: "M12 8v4l3 3M3.05 11a9 9 0 1 1 .5 4M3 4v7h7",
  late: "M12 7v5l3 2M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z",
  coldChainAtRisk: "M12 2v20M4.9 6l14.2 12M4.9 18L19.1 6M9 4l3 3 3-3M9 20l3-3 3 3",
  orderDeclineStorm: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM15 9l-6 6M9 9l6 6",
  courierDeclineStorm: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM15 9l-6 6M9 9l6 6",
  pinLocked: "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
};

export function svgIcon(path) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  const p = document.createElementNS(ns, "path");
  p.setAttribute("d", path);
  svg.append(p);
  return svg;
}

export function renderAlerts() {
  const list = $("alerts");
  const alerts = board.alerts || [];
  list.replaceChildren(
    ...alerts.map((a) => {
      const li = el("li", `alert alert-${a.severity}`);
      li.dataset.key = a.key;
      li.dataset.kind = a.kind;
      const icon = el("span", "alert-icon");
      icon.setAttribute("aria-hidden", "true");
      icon.append(svgIcon(ALERT_ICONS[a.kind] || ALERT_ICONS.late));
      const body = el("div", "alert-body");
      body.append(el("strong", "alert-title", a.title), el("span", "alert-detail", a.detail));
      const age = el("span", "alert-age", ago(a.raisedAt));
      age.dataset.at = a.raisedAt;
      age.title = `Since ${time(a.raisedAt)}`;
      body.append(age);
      const actions = el("div", "alert-actions");
      if (a.orderId || a.courierId) {
        const open = el("button", "btn btn-ghost btn-tiny alert-open", a.orderId ? "Open" : "Courier");
        open.type = "button";
        open.addEventListener("click", () => (a.orderId ? openOrder(a.orderId) : openCourier(a.courierId)));
        actions.append(open);
      }
      const ack = el("button", "btn btn-tiny alert-ack", "Acknowledge");
      ack.type = "button";
      ack.addEventListener("click", () => acknowledge(a.key, ack));
      actions.append(ack);
      li.append(icon, body, actions);
      return li;
    }),
  );
  $("alert-count").textContent = alerts.length;
  $("alert-count").dataset.count = alerts.length;
  $("alerts-empty").hidden = alerts.length > 0;
}

export async function acknowledge(key, button) {
  button.disabled = true;
  showError("alert-error", "");
  try {
    await api("POST", `/api/zones/${encodeURIComponent(board.zone)}/alerts/acknowledge`, { key });
    // Every board watching the zone drops it with the next frame; this one at once.
    board.alerts = board.alerts.filter((a) => a.key !== key);
    renderAlerts();
  } catch (error) {
    button.disabled = false;
    showError("alert-error", error.message);
  }
}
