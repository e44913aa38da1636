// The admin console: admin sign-in (the shared sign-in form), then five tabs, each loaded when it is opened.
import { signInForm } from "../common/signin.js";
import { session } from "./api.js";
import { loadAccounts } from "./accounts.js";
import { loadAudit } from "./audit.js";
import { loadCouriers } from "./couriers.js";
import { loadKeys } from "./keys.js";
import { loadOrganisations } from "./organisations.js";
import { loadZones } from "./zones.js";

const loaders = {
  couriers: loadCouriers,
  accounts: () => Promise.all([loadAccounts(), loadOrganisations()]),
  keys: () => Promise.all([loadKeys(), loadOrganisations()]),
  audit: () => loadAudit(),
  zones: () => loadZones(),
};

function open(tab) {
  for (const button of document.querySelectorAll(".tab")) button.setAttribute("aria-selected", String(button.dataset.tab === tab));
  for (const panel of document.querySelectorAll(".tab-panel")) panel.hidden = panel.id !== `tab-${tab}`;
  loaders[tab]();
}

for (const button of document.querySelectorAll(".tab")) button.addEventListener("click", () => open(button.dataset.tab));

const signIn = signInForm({
  session,
  storageKey: "dispatch.admin.token",
  missingToken: "Paste your admin token first.",
  demo: {
    url: "/dev/token",
    body: { role: "admin", subject: "demo-admin" },
    token: (answer) => answer.token,
    unavailable: "Demo admins are only available on a development server.",
    failed: (message) => `Could not get a demo admin token (${message}).`,
  },
  onSignIn: () => open("couriers"),
  onSignOut: () => {},
});

signIn.resume();
