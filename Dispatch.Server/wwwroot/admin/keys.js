// Merchant organisations' API keys: list by organisation, create (the secret is shown once, here only), revoke.
import { $, el, note, showError } from "../common/dom.js";
import { api, guarded, when } from "./api.js";
import { newestOnly } from "../common/newest.js";

const organisation = () => $("keys-org").value.trim();

function row(key) {
  const item = el("li", "item");
  item.dataset.keyId = key.keyId;
  const head = el("div", "item-head");
  head.append(el("span", "item-name", `${key.name} (${key.keyId})`));
  head.append(el("span", "status-tag", key.revokedAt ? "revoked" : "active"));
  item.append(head);
  const facts = el("ul", "facts");
  facts.append(el("li", null, `Created by ${key.createdBy} ${when(key.createdAt)}`));
  if (key.revokedAt) facts.append(el("li", null, `Revoked ${when(key.revokedAt)}`));
  item.append(facts);
  if (!key.revokedAt) {
    const revoke = el("button", "btn btn-ghost btn-small", "Revoke");
    revoke.type = "button";
    revoke.addEventListener("click", () =>
      guarded("keys-error", showError, async () => {
        await api("DELETE", `/api/merchant/keys/${encodeURIComponent(key.keyId)}`);
        await loadKeys();
      }),
    );
    item.append(revoke);
  }
  return item;
}

const keysLoad = newestOnly();

export async function loadKeys() {
  if (!organisation()) return;
  const newest = keysLoad();
  await guarded("keys-error", showError, async () => {
    const keys = await api("GET", `/api/merchant/keys?organisation=${encodeURIComponent(organisation())}`);
    if (!newest()) return;
    $("keys").replaceChildren(...keys.map(row));
  });
}

// Picking an organisation from the list shows its keys at once.
$("keys-org").addEventListener("change", () => loadKeys());

$("keys-form").addEventListener("submit", (e) => {
  e.preventDefault();
  $("keys-secret").hidden = true;
  loadKeys();
});

$("keys-create").addEventListener("click", () => {
  $("keys-secret").hidden = true;
  guarded("keys-error", showError, async () => {
    const created = await api("POST", "/api/merchant/keys", {
      organisation: organisation(),
      name: `admin console ${new Date().toISOString()}`,
    });
    note("keys-secret", `Key ${created.keyId}, secret (shown once, copy it now): ${created.secret}`);
    await loadKeys();
  });
});
