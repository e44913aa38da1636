// Merchant organisations to pick from (GET /api/admin/organisations, searched by what is typed): the keys and account
// forms' organisation inputs offer them, so an organisation is chosen rather than retyped.
import { $, el } from "../common/dom.js";
import { api } from "./api.js";
import { newestOnly } from "../common/newest.js";

const organisationsLoad = newestOnly();

export async function loadOrganisations(q = "") {
  const newest = organisationsLoad();
  const query = new URLSearchParams({ limit: "50" });
  if (q.trim()) query.set("q", q.trim());
  try {
    const page = await api("GET", `/api/admin/organisations?${query}`);
    if (!newest()) return;
    $("org-options").replaceChildren(
      ...page.items.map((o) => {
        const option = el("option");
        option.value = o.organisation;
        option.label = `${o.users} user(s), ${o.activeKeys} active key(s)`;
        return option;
      }),
    );
  } catch {
    // The inputs still take a typed name; the list is a help, not a gate.
  }
}

for (const id of ["keys-org", "account-org"]) $(id).addEventListener("input", (e) => loadOrganisations(e.target.value));
