// The reports API with the signed-in token: the JSON report and the CSV export. A refusal becomes an Error with the server's text.
export const session = { token: "" };

function query({ from, to, zone }) {
  const params = new URLSearchParams({ from, to });
  if (zone) params.set("zone", zone);
  return params.toString();
}

async function get(path, accept) {
  const response = await fetch(path, { headers: { Accept: accept, Authorization: `Bearer ${session.token}` } });
  if (response.ok) return response;
  if (response.status === 401) throw new Error("Your session has expired; sign in again.");
  const payload = await response.json().catch(() => null);
  const detail = payload && (payload.detail || payload.title);
  throw new Error(detail || `The server answered ${response.status}.`);
}

export async function fetchReport(range) {
  return (await get(`/api/reports?${query(range)}`, "application/json")).json();
}

export async function fetchCsv(range) {
  return (await get(`/api/reports.csv?${query(range)}`, "text/csv")).blob();
}
