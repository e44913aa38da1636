// The sign-in of the signed-in pages (board, runner): a username and password (POST /api/auth/sign-in, then the access
// token is refreshed a minute before it expires), a token pasted in the form, from the link's fragment, kept in
// sessionStorage across reloads, or (development servers only) a demo token from the server. Signing in and out swaps
// #signin and #app and sets body[data-state]; the page's own work runs in onSignIn / onSignOut.
import { $, showError } from "./dom.js";
import { refreshing } from "./refresh.js";
import { fromFragment } from "./token.js";

// session: the page's object whose `token` is the signed-in token ("" when signed out).
// demo: { url, body, token(answer) → token, unavailable: text for a 404, failed(message) → text }.
export function signInForm({ session, storageKey, missingToken, demo, onSignIn, onSignOut }) {
  const refresh = refreshing({
    storageKey: `${storageKey}.refresh`,
    onToken: (token) => {
      session.token = token;
      sessionStorage.setItem(storageKey, token);
    },
    onEnded: (message) => signOut(message),
  });

  function signIn(token) {
    session.token = token;
    sessionStorage.setItem(storageKey, token);
    showError("signin-error", "");
    $("signin").hidden = true;
    $("app").hidden = false;
    document.body.dataset.state = "app";
    onSignIn(token);
  }

  async function signOut(message) {
    sessionStorage.removeItem(storageKey);
    await refresh.end();
    await onSignOut();
    session.token = "";
    $("app").hidden = true;
    $("signin").hidden = false;
    document.body.dataset.state = "signin";
    $("token-input").value = "";
    $("password-input").value = "";
    showError("signin-error", message || "");
  }

  async function withPassword(username, password) {
    const button = $("signin-button");
    button.disabled = true;
    try {
      const answer = await refresh.signIn(username, password);
      if (answer.error) {
        showError("signin-error", answer.error);
        return;
      }
      $("password-input").value = "";
      signIn(answer.token);
    } finally {
      button.disabled = false;
    }
  }

  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const username = $("username-input").value.trim();
    const password = $("password-input").value;
    if (username && password) {
      withPassword(username, password);
      return;
    }
    const token = $("token-input").value.trim();
    if (!token) {
      showError("signin-error", username ? "Type your password too." : missingToken);
      return;
    }
    signIn(token);
  });

  $("demo-button").addEventListener("click", async () => {
    const button = $("demo-button");
    button.disabled = true;
    try {
      const response = await fetch(demo.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(demo.body),
      });
      if (response.status === 404) {
        button.hidden = true;
        showError("signin-error", demo.unavailable);
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      signIn(demo.token(await response.json()));
    } catch (error) {
      showError("signin-error", demo.failed(error.message));
    } finally {
      button.disabled = false;
    }
  });

  $("signout").addEventListener("click", () => signOut());

  // Signs in with the token in the link's fragment, else the one kept from before a reload (refreshed first when a
  // password sign-in left a refresh token and the access token has expired meanwhile).
  async function resume() {
    const fragment = fromFragment();
    if (fragment) {
      signIn(fragment);
      return;
    }
    const token = await refresh.resume(sessionStorage.getItem(storageKey) || "");
    if (token) signIn(token);
  }

  return { signOut, resume };
}
