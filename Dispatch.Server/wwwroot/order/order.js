// The customer's ordering page: sign in with a code sent to the phone (POST /api/customers/codes, then /sign-in; the
// access token is refreshed like the other pages'), choose a service and the places, see the quote, order, pay, track.
import { $, note, showError } from "../common/dom.js";
import { refreshing } from "../common/refresh.js";
import { call, problem, session } from "./api.js";
import { loadOrders, wireHistory } from "./history.js";
import { savedPlaces, startMap, wirePlaces } from "./places.js";
import { changed, loadServices, wireQuote } from "./quote.js";

const STORAGE_KEY = "dispatch.order.token";

const refresh = refreshing({
  storageKey: `${STORAGE_KEY}.refresh`,
  onToken: (token) => {
    session.token = token;
    sessionStorage.setItem(STORAGE_KEY, token);
  },
  onEnded: (message) => signOut(message),
});

async function signedIn(token) {
  session.token = token;
  sessionStorage.setItem(STORAGE_KEY, token);
  $("signin").hidden = true;
  $("app").hidden = false;
  document.body.dataset.state = "app";
  await startMap(changed);
  await Promise.all([loadServices(), loadOrders(), loadAddresses()]);
}

async function loadAddresses() {
  const result = await call("GET", "/api/customers/me/addresses");
  if (result.ok) savedPlaces(result.body, changed);
}

async function signOut(message) {
  sessionStorage.removeItem(STORAGE_KEY);
  await refresh.end();
  session.token = "";
  $("app").hidden = true;
  $("signin").hidden = false;
  document.body.dataset.state = "signin";
  showError("signin-error", message || "");
}

async function askCode(event) {
  event.preventDefault();
  showError("signin-error", "");
  const result = await call("POST", "/api/customers/codes", { phone: $("phone-input").value });
  if (!result.ok) return showError("signin-error", problem(result, "Could not send a code."));
  $("signin-form").hidden = false;
  note("code-sent", `We sent a code to ${$("phone-input").value}. It works until ${new Date(result.body.expiresAt).toLocaleTimeString()}.`);
  $("code-input").focus();
}

async function signIn(event) {
  event.preventDefault();
  showError("signin-error", "");
  const result = await call("POST", "/api/customers/sign-in", { phone: $("phone-input").value, code: $("code-input").value.trim() });
  if (!result.ok) return showError("signin-error", problem(result, "Could not sign in."));
  $("code-input").value = "";
  await signedIn(refresh.adopt(result.body));
}

$("code-form").addEventListener("submit", askCode);
$("signin-form").addEventListener("submit", signIn);
$("signout").addEventListener("click", () => signOut(""));
wirePlaces(changed);
wireQuote();
wireHistory();

const stored = await refresh.resume(sessionStorage.getItem(STORAGE_KEY) || "");
if (stored) await signedIn(stored);
