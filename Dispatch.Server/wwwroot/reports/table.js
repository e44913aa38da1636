// The totals over the range and the table of days: the same figures as the charts, as text.
import { el } from "../common/dom.js";
import { cents, day, minutes, percent } from "./format.js";

export function renderTotals(figures) {
  const totals = document.getElementById("totals");
  totals.replaceChildren();
  const items = [
    ["delivered", "Delivered", figures.delivered],
    ["cancelled", "Cancelled", figures.cancelled],
    ["failed", "Failed", figures.failed],
    ["on-time", "On time", percent(figures.onTimeShare)],
    ["acceptance", "Acceptance", percent(figures.acceptanceRate)],
    ["utilisation", "Utilisation", percent(figures.utilisation)],
    ["click-to-door", "Click to door", minutes(figures.clickToDoorMeanSeconds)],
    ["earnings", "Courier fees", cents(figures.earningsCents)],
    ["per-hour", "Per online hour", cents(figures.earningsPerOnlineHourCents)],
    ["cold-chain", "Cold-chain excursions", figures.coldChainExcursions],
  ];
  for (const [key, label, value] of items) {
    const box = el("div");
    box.dataset.total = key;
    box.append(el("dt", "", label), el("dd", "", value));
    totals.append(box);
  }
}

export function renderDays(rows) {
  const body = document.getElementById("day-rows");
  body.replaceChildren();
  for (const r of rows) {
    const tr = el("tr");
    const spread = r.earningsPerHourSpread == null ? "" : ` (±${percent(r.earningsPerHourSpread)})`;
    const cells = [
      day(r.start),
      r.zone,
      r.delivered,
      r.cancelled,
      r.failed,
      percent(r.onTimeShare),
      `${minutes(r.clickToDoorMeanSeconds)} / ${minutes(r.clickToDoorP90Seconds)}`,
      minutes(r.readyToPickupMeanSeconds),
      percent(r.acceptanceRate),
      percent(r.utilisation),
      `${cents(r.earningsPerOnlineHourCents)}${spread}`,
      `${r.coldChainExcursions} of ${r.coldChainDelivered}`,
      minutes(r.etaErrorMeanSeconds),
    ];
    for (const cell of cells) tr.append(el("td", "", cell));
    body.append(tr);
  }
}
