// Accounts and roles: create (or reset) a dispatcher with zones, a merchant user with their organisation, or an admin;
// suspend (which revokes their sessions) or reinstate by username.
import { $, note, showError } from "../common/dom.js";
import { api, guarded } from "./api.js";

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
  });
});

function standing(action) {
  const username = $("standing-username").value.trim();
  if (!username) {
    showError("accounts-error", "Type the username first.");
    return;
  }
  $("accounts-note").hidden = true;
  guarded("accounts-error", showError, async () => {
    const answer = await api("POST", `/api/admin/accounts/${encodeURIComponent(username)}/${action}`);
    const sessions = action === "suspend" ? ` (${answer.revokedSessions} session(s) revoked)` : "";
    note("accounts-note", `${username} ${action === "suspend" ? "suspended" : "reinstated"}${sessions}.`);
  });
}

$("account-suspend").addEventListener("click", () => standing("suspend"));
$("account-reinstate").addEventListener("click", () => standing("reinstate"));
showRoleFields();
