// A dispatcher's zones, edited on their account row (PUT /api/admin/accounts/by-id/{id}/zones): only the zones change;
// the password and sessions stay, and the dispatcher's next token refresh carries the new zones.
import { $, el, note, showError } from "../common/dom.js";
import { api, guarded } from "./api.js";

const parse = (text) =>
  text
    .split(",")
    .map((z) => z.trim())
    .filter(Boolean);

export function zonesEditor(account, reload) {
  const form = el("form", "actions zones-edit");
  const input = el("input", "zones");
  input.value = account.zones.join(", ");
  input.placeholder = "monaco, nice";
  input.setAttribute("aria-label", `Zones of ${account.username}`);
  const save = el("button", "btn btn-ghost btn-small save-zones", "Save zones");
  save.type = "submit";
  form.append(input, save);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    $("accounts-note").hidden = true;
    guarded("accounts-error", showError, async () => {
      const saved = await api("PUT", `/api/admin/accounts/by-id/${account.id}/zones`, { zones: parse(input.value) });
      const zones = saved.zones.length ? saved.zones.join(", ") : "none";
      note("accounts-note", `${saved.username} now has zones: ${zones} (from their next token refresh).`);
      await reload();
    });
  });
  return form;
}
