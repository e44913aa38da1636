// Password sessions of the signed-in pages: POST /api/auth/sign-in gives a short-lived access token and a refresh token;
// the access token is renewed (POST /api/auth/refresh, which also rotates the refresh token) a minute before it expires.
// The refresh token is kept in sessionStorage (this tab only) so a reload keeps the session; sign-out revokes it.
import { claims, expired } from "./token.js";

const EARLY_MS = 60_000; // renew this long before the access token's expiry

// onToken(token): a new access token; onEnded(message): the session ended (refresh refused).
export function refreshing({ storageKey, onToken, onEnded }) {
  let timer = null;

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const answer = response.status === 204 ? null : await response.json().catch(() => null);
    return { ok: response.ok, answer };
  }

  function schedule(token) {
    clearTimeout(timer);
    const exp = claims(token)?.exp;
    if (typeof exp !== "number") return;
    timer = setTimeout(renew, Math.max(1_000, exp * 1000 - Date.now() - EARLY_MS));
  }

  function accept(answer) {
    sessionStorage.setItem(storageKey, answer.refreshToken);
    schedule(answer.accessToken);
    return answer.accessToken;
  }

  // The next access token, or "" when the session is over (onEnded has then been told why).
  async function renew() {
    const refreshToken = sessionStorage.getItem(storageKey);
    if (!refreshToken) return "";
    try {
      const { ok, answer } = await post("/api/auth/refresh", { refreshToken });
      if (!ok) {
        sessionStorage.removeItem(storageKey);
        onEnded((answer && (answer.detail || answer.title)) || "Your session has ended; sign in again.");
        return "";
      }
      const token = accept(answer);
      onToken(token);
      return token;
    } catch {
      timer = setTimeout(renew, 10_000); // offline: try again soon, the access token may still be good
      return "";
    }
  }

  return {
    // { token } on success, else { error } with the server's words (wrong password, locked until …).
    async signIn(username, password) {
      try {
        const { ok, answer } = await post("/api/auth/sign-in", { username, password });
        if (!ok) return { error: (answer && (answer.detail || answer.title)) || "Could not sign in." };
        return { token: accept(answer) };
      } catch (error) {
        return { error: `Could not reach the server (${error.message}).` };
      }
    },
    // Takes over a session another sign-in opened (the customer page's phone code): the same answer as sign-in's.
    adopt(answer) {
      return accept(answer);
    },
    // The token to resume with after a reload: the stored one, renewed first when it has expired.
    async resume(token) {
      if (!sessionStorage.getItem(storageKey)) return token;
      if (!token || expired(token)) return renew();
      schedule(token);
      return token;
    },
    async end() {
      clearTimeout(timer);
      const refreshToken = sessionStorage.getItem(storageKey);
      sessionStorage.removeItem(storageKey);
      if (refreshToken) await post("/api/auth/sign-out", { refreshToken }).catch(() => {});
    },
  };
}
