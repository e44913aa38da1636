// The audit log: filters (actor, target, action — "courier.*" for a prefix —, from, to), newest first; "More" asks for
// the rows before the last one shown (the API's keyset cursor `next`).
import { $, el, showError } from "../common/dom.js";
import { api, guarded, when } from "./api.js";
import { newestOnly } from "../common/newest.js";

let next = null;

function query(before) {
  const params = new URLSearchParams();
  for (const name of ["actor", "target", "action"]) {
    const value = $(`audit-${name}`).value.trim();
    if (value) params.set(name, value);
  }
  for (const name of ["from", "to"]) {
    const value = $(`audit-${name}`).value;
    if (value) params.set(name, new Date(value).toISOString());
  }
  if (before) params.set("before", String(before));
  params.set("limit", "50");
  return params.toString();
}

function change(entry) {
  const parts = [];
  if (entry.before) parts.push(`before ${JSON.stringify(entry.before)}`);
  if (entry.after) parts.push(`after ${JSON.stringify(entry.after)}`);
  return parts.join(" → ");
}

function row(entry) {
  const tr = el("tr");
  tr.dataset.action = entry.action;
  tr.append(el("td", null, when(entry.at)));
  tr.append(el("td", null, `${entry.actor} (${entry.role})`));
  tr.append(el("td", "action", entry.action));
  tr.append(el("td", "target", entry.target));
  tr.append(el("td", null, entry.address || ""));
  tr.append(el("td", "change", change(entry)));
  return tr;
}

const auditLoad = newestOnly();

export async function loadAudit(more = false) {
  const newest = auditLoad();
  await guarded("audit-error", showError, async () => {
    const page = await api("GET", `/api/admin/audit?${query(more ? next : null)}`);
    if (!newest()) return;
    const rows = page.entries.map(row);
    if (more) $("audit-rows").append(...rows);
    else $("audit-rows").replaceChildren(...rows);
    next = page.next;
    $("audit-more").hidden = next === null || next === undefined;
  });
}

$("audit-form").addEventListener("submit", (e) => {
  e.preventDefault();
  loadAudit();
});
$("audit-more").addEventListener("click", () => loadAudit(true));
