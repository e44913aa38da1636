// The console's HTTP calls with the signed-in admin token; a refusal becomes an Error carrying the server's problem text.
export const session = { token: "" };

export async function api(method, path, body) {
  return (await apiAnswer(method, path, body)).payload;
}

// As api, with the answer's headers (a suspension's X-Eviction says whether the courier's connections close now).
export async function apiAnswer(method, path, body) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return { payload: null, headers: response.headers };
  const payload = await response.json().catch(() => null);
  if (response.ok) return { payload, headers: response.headers };
  if (response.status === 401) throw new Error("Your session has expired; sign in again.");
  if (response.status === 403) throw new Error("Your account may not do this: it needs the admin role.");
  const detail = payload && (payload.detail || (payload.errors && Object.values(payload.errors).flat()[0]) || payload.title);
  throw new Error(detail || `The server answered ${response.status}.`);
}

// Runs an action and shows its error (or clears it) in the given error paragraph.
export async function guarded(errorId, showError, action) {
  showError(errorId, "");
  try {
    return await action();
  } catch (error) {
    showError(errorId, error.message);
    return undefined;
  }
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

// What to add to a suspension's note when the server could not reach Redis to close the courier's connections.
export function evictionNote(headers) {
  return headers.get("X-Eviction") === "deferred" ? " Redis is unreachable: their open connections close once it returns." : "";
}
