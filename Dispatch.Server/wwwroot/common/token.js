// Token helpers shared by the signed-in pages (runner, board). Display only: the server checks every token.
window.DispatchToken = (() => {
  "use strict";

  // Reads a token from the URL fragment (#token=… or a bare token) and removes it from the address bar and history:
  // it is a credential.
  function fromFragment() {
    const hash = location.hash.replace(/^#/, "");
    if (!hash) return "";
    const params = new URLSearchParams(hash);
    const token = params.get("token") || (hash.includes("=") ? "" : decodeURIComponent(hash));
    history.replaceState(null, "", location.pathname + location.search);
    return token.trim();
  }

  // The token's claims (JWT payload, base64url, UTF-8), or null when it is not a readable JWT.
  function claims(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const json = decodeURIComponent(Array.from(atob(payload), (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""));
      return JSON.parse(json);
    } catch {
      return null;
    }
  }

  // True once the token's "exp" has passed: the server closes hub connections then, and reconnecting with it is refused.
  function expired(token) {
    const exp = claims(token)?.exp;
    return typeof exp === "number" && exp * 1000 <= Date.now();
  }

  return { fromFragment, claims, expired };
})();
