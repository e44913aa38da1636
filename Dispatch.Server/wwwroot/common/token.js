// Token helpers shared by the signed-in pages (runner, board). Display only: the server checks every token.

// Reads a token from the URL fragment (#token=… or a bare token) and removes it from the address bar and history:
// it is a credential.
export function fromFragment() {
  const hash = location.hash.replace(/^#/, "");
  if (!hash) return "";
  const params = new URLSearchParams(hash);
  const token = params.get("token") || (hash.includes("=") ? "" : decodeURIComponent(hash));
  history.replaceState(null, "", location.pathname + location.search);
  return token.trim();
}

// The token's claims (JWT payload, base64url, UTF-8), or null when it is not a readable JWT.
export function claims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(Array.from(atob(payload), (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

// True once the token's "exp" has passed: the server closes hub connections then, and reconnecting with it is refused.
export function expired(token) {
  const exp = claims(token)?.exp;
  return typeof exp === "number" && exp * 1000 <= Date.now();
}

// The token's role claim(s) for a message, or null.
export function roleOf(token) {
  const c = claims(token);
  if (!c) return null;
  const role = c.role || c["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
  return Array.isArray(role) ? role.join(", ") : role || null;
}
