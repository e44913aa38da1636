// Why this courier: each offer round's offered courier with every cost term, the next few candidates with the term that
// lost them the order, and who was ruled out (older rounds were stored whole; the server compacts them the same way).
import { time } from "./format.js";
import { el } from "../common/dom.js";

// The cost terms a runner-up can lose on (RunnerUp.Terms on the server), as a dispatcher reads them.
const LOST_ON = {
  pickup: "farther from the pickup",
  load: "orders on board would arrive later",
  declined: "declined this order before",
  readyWait: "would wait longer for the goods",
  lateness: "would arrive later than promised",
  fairness: "has earned more this hour",
  matching: "cheaper here, but went to another order",
};

const seconds = (value) => (value == null ? "—" : `${Math.round(value)} s`);

function whyNot(c) {
  if (c.chosen) return "";
  const parts = [];
  if (c.lostOn) parts.push(`${LOST_ON[c.lostOn] || c.lostOn} (${c.lostBySeconds > 0 ? "+" : ""}${Math.round(c.lostBySeconds)} s)`);
  if (c.freeAt) parts.push(`frees up ${time(c.freeAt)}`);
  return parts.join(" · ");
}

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
  for (const h of ["#", "Courier", "Distance", "To pickup", "Load", "Wait", "Late", "Fair", "Cost", "Drop-off", "Answer", "Why not"])
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
      el("td", "num", seconds(c.loadPenaltySeconds)),
      el("td", "num", seconds(c.readyWaitSeconds)),
      el("td", "num", seconds(c.latenessSeconds)),
      el("td", "num", seconds(c.fairnessSeconds)),
      el("td", "num strong", Math.round(c.cost)),
      el("td", "num", c.dropoffAt ? time(c.dropoffAt) : "—"),
      el("td", "answer", [c.answer || (c.chosen ? "Offered" : ""), c.reason].filter(Boolean).join(": ") || "—"),
      el("td", "why", whyNot(c)),
    );
    body.append(tr);
  }
  if (!round.candidates.length) {
    const tr = el("tr");
    const td = el("td", "muted", "No eligible courier.");
    td.colSpan = 12;
    tr.append(td);
    body.append(tr);
  }
  table.append(body);
  const scroll = el("div", "table-scroll");
  scroll.append(table);
  section.append(scroll);
  if (round.moreEligible) {
    section.append(
      el(
        "p",
        "muted small more-eligible",
        `and ${round.moreEligible} more eligible courier${round.moreEligible > 1 ? "s" : ""}, ranked below these`,
      ),
    );
  }

  if (round.excluded.length) {
    const list = el("ul", "excluded");
    for (const x of round.excluded) {
      const li = el("li");
      li.append(el("strong", null, x.name || x.courierId.slice(0, 8)), document.createTextNode(` — ${x.reason}`));
      list.append(li);
    }
    if (round.moreExcluded) list.append(el("li", "muted more-excluded", `and ${round.moreExcluded} more`));
    section.append(el("p", "sub-title", "Ruled out"), list);
  }
  return section;
}
