// Calls to the customer API with the signed-in customer's token. Answers { ok, status, body }; a refusal's words are
// the problem's detail (the server names the field).
export const session = { token: "" };

export async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = response.status === 204 ? null : await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body: answer };
  } catch (error) {
    return { ok: false, status: 0, body: { detail: `Could not reach the server (${error.message}).` } };
  }
}

export function problem(result, fallback) {
  return (result.body && (result.body.detail || result.body.title)) || fallback;
}

export function money(cents, currency) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "EUR" }).format(cents / 100);
}
