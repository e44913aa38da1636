// The board's HTTP calls, with the signed-in token.
import { state } from "./store.js";

// HTTP with the board's token; a refusal becomes an Error carrying the server's problem-details text.
export async function api(method, path, body) {
  return (await send(method, path, body)).payload;
}

// A GET of one page of a list: its rows and the cursor of the next page (the Next-Cursor header; null on the last page).
export async function apiPage(path) {
  const { payload, response } = await send("GET", path);
  return { rows: payload || [], next: response.headers.get("Next-Cursor") };
}

async function send(method, path, body) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return { payload: null, response };
  const payload = await response.json().catch(() => null);
  if (response.ok) return { payload, response };
  if (response.status === 401) throw new Error("Your session has expired; sign in again.");
  if (response.status === 403) throw new Error("Your token may not do this: it needs the dispatcher or admin role.");
  const detail = payload && (payload.detail || (payload.errors && Object.values(payload.errors).flat()[0]) || payload.title);
  throw new Error(detail || `The server answered ${response.status}.`);
}
