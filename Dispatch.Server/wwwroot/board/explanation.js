// Why this courier: each offer round's candidates with their costs, and who was ruled out.
import { time } from "./format.js";
import { el } from "../common/dom.js";

export function renderRound(round, number, total) {
  const section = el("section", "round");
  section.append(
    el(
      "h4",
      "round-title",
      `Round ${number}${total > 1 ? ` of ${total}` : ""} · ${time(round.at)} · radius ${Math.round(round.radiusMetres)} m`,
    ),
  );
  section.append(el("p", "rule", round.rule));

  const table = el("table", "candidates");
  const head = el("tr");
  for (const h of ["#", "Courier", "Distance", "To pickup", "Load", "Wait", "Late", "Fair", "Cost", "Drop-off", "Answer"])
    head.append(el("th", null, h));
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  for (const c of round.candidates) {
    const tr = el("tr", c.chosen ? "chosen" : "");
    tr.dataset.courierId = c.courierId;
    tr.append(
      el("td", "num", c.rank + 1),
      el("td", "name", c.name || c.courierId.slice(0, 8)),
      el("td", "num", `${Math.round(c.distanceMetres)} m`),
      el("td", "num", `${Math.round(c.secondsToPickup)} s`),
      el("td", "num", `${Math.round(c.loadPenaltySeconds)} s`),
      el("td", "num", `${Math.round(c.readyWaitSeconds || 0)} s`),
      el("td", "num", `${Math.round(c.latenessSeconds || 0)} s`),
      el("td", "num", `${Math.round(c.fairnessSeconds || 0)} s`),
      el("td", "num strong", c.cost),
      el("td", "num", c.dropoffAt ? time(c.dropoffAt) : "—"),
      el("td", "answer", [c.answer || (c.chosen ? "Offered" : ""), c.reason].filter(Boolean).join(": ") || "—"),
    );
    body.append(tr);
  }
  if (!round.candidates.length) {
    const tr = el("tr");
    const td = el("td", "muted", "No eligible courier.");
    td.colSpan = 11;
    tr.append(td);
    body.append(tr);
  }
  table.append(body);
  const scroll = el("div", "table-scroll");
  scroll.append(table);
  section.append(scroll);

  if (round.excluded.length) {
    const list = el("ul", "excluded");
    for (const x of round.excluded) {
      const li = el("li");
      li.append(el("strong", null, x.name || x.courierId.slice(0, 8)), document.createTextNode(` — ${x.reason}`));
      list.append(li);
    }
    section.append(el("p", "sub-title", "Ruled out"), list);
  }
  return section;
}
