// Accounts and roles: create (or reset) a dispatcher with zones, a merchant user with their organisation, or an admin;
// find accounts in the list and suspend (which revokes their sessions) or reinstate them there, or edit a dispatcher's zones.
import { $, el, note, showError } from "../common/dom.js";
import { zonesEditor } from "./account-zones.js";
import { api, apiAnswer, evictionNote, guarded, when } from "./api.js";
import { newestOnly } from "../common/newest.js";

function showRoleFields() {
  const role = $("account-role").value;
  $("account-zones-field").hidden = role !== "dispatcher";
  $("account-org-field").hidden = role !== "merchant";
}

$("account-role").addEventListener("change", showRoleFields);

$("account-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("accounts-note").hidden = true;
  const role = $("account-role").value;
  const spec = {
    username: $("account-username").value.trim(),
    role,
    password: $("account-password").value || null,
    displayName: $("account-display").value.trim() || null,
  };
  if (role === "dispatcher")
    spec.zones = $("account-zones")
      .value.split(",")
      .map((z) => z.trim())
      .filter(Boolean);
  if (role === "merchant") spec.organisation = $("account-org").value.trim() || null;
  guarded("accounts-error", showError, async () => {
    const saved = await api("POST", "/api/admin/accounts", spec);
    $("account-password").value = "";
    const password = saved.password ? ` Password (shown once): ${saved.password}` : "";
    note("accounts-note", `${saved.created ? "Created" : "Reset"} ${saved.username} as ${role}.${password}`);
    await loadAccounts();
  });
});

// The accounts list: searched and paged by name (GET /api/admin/accounts), each row suspended or reinstated by its id.
let nextAccounts = null;

function accountRow(account) {
  const item = el("li", "item");
  item.dataset.username = account.username;
  const head = el("div", "item-head");
  head.append(el("span", "item-name", account.displayName ? `${account.username} (${account.displayName})` : account.username));
  head.append(el("span", "status-tag", account.suspendedAt ? "suspended" : account.role));
  item.append(head);
  const facts = el("ul", "facts");
  if (account.role === "dispatcher") facts.append(el("li", null, `Zones: ${account.zones.join(", ") || "none"}`));
  if (account.organisation) facts.append(el("li", null, `Organisation: ${account.organisation}`));
  facts.append(el("li", null, `Created ${when(account.createdAt)}`));
  item.append(facts);
  if (account.role === "dispatcher") item.append(zonesEditor(account, loadAccounts));
  const action = account.suspendedAt ? "reinstate" : "suspend";
  const button = el("button", `btn btn-ghost btn-small ${action}`, account.suspendedAt ? "Reinstate" : "Suspend");
  button.type = "button";
  button.addEventListener("click", () => standing(account, action));
  item.append(button);
  return item;
}

function standing(account, action) {
  $("accounts-note").hidden = true;
  guarded("accounts-error", showError, async () => {
    const answer = await apiAnswer("POST", `/api/admin/accounts/by-id/${account.id}/${action}`);
    const sessions = action === "suspend" ? ` (${answer.payload.revokedSessions} session(s) revoked)` : "";
    const verb = action === "suspend" ? "suspended" : "reinstated";
    note("accounts-note", `${account.username} ${verb}${sessions}.${evictionNote(answer.headers)}`);
    await loadAccounts();
  });
}

const accountsLoad = newestOnly();

export async function loadAccounts(more = false) {
  const newest = accountsLoad();
  const query = new URLSearchParams({ limit: "25" });
  const q = $("accounts-q").value.trim();
  if (q) query.set("q", q);
  if ($("accounts-role").value) query.set("role", $("accounts-role").value);
  if (more && nextAccounts) query.set("after", nextAccounts);
  await guarded("accounts-error", showError, async () => {
    const page = await api("GET", `/api/admin/accounts?${query}`);
    if (!newest()) return;
    const rows = page.items.map(accountRow);
    if (more) $("accounts-list").append(...rows);
    else $("accounts-list").replaceChildren(...rows);
    nextAccounts = page.next;
    $("accounts-more").hidden = !page.next;
  });
}

$("accounts-search").addEventListener("submit", (e) => {
  e.preventDefault();
  loadAccounts();
});
$("accounts-more").addEventListener("click", () => loadAccounts(true));
showRoleFields();
