// "More" under the search results: when the server says another page follows (its Next-Cursor header), the button loads
// that page with the same query and hands its rows on to be appended. Keyset cursors, so rows added meanwhile never
// shift or repeat a page.
import { apiPage } from "./api.js";
import { $, showError } from "../common/dom.js";

let search = null; // { query, cursor, append } of the results on show; null when no page follows

// Offers the page after `cursor` of the search `query` (URLSearchParams without a cursor), or hides the button when cursor is null.
export function offerMore(query, cursor, append) {
  search = cursor ? { query, cursor, append } : null;
  $("search-more").hidden = !search;
  $("search-more").disabled = false;
}

export function hideMore() {
  offerMore(null, null, null);
}

$("search-more").addEventListener("click", async () => {
  const current = search;
  if (!current) return;
  const button = $("search-more");
  button.disabled = true;
  showError("lookup-error", "");
  try {
    const params = new URLSearchParams(current.query);
    params.set("cursor", current.cursor);
    const page = await apiPage(`/api/orders/search?${params}`);
    if (search !== current) return; // a new search or "Back to open orders" came first: this page is not theirs
    current.append(page.rows);
    offerMore(current.query, page.next, current.append);
  } catch (error) {
    showError("lookup-error", error.message || "Could not load more results.");
    button.disabled = false;
  }
});
