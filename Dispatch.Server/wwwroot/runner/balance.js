// The courier's balance from the earnings ledger (GET /api/couriers/me/earnings): settled (what a withdrawal may take)
// and pending (earned, settled by the next daily settlement). Refreshed with today's figures.
import { $ } from "../common/dom.js";
import { money } from "../common/format.js";
import { state } from "./state.js";

export async function refreshBalance() {
  if (!state.token) return;
  try {
    const response = await fetch("/api/couriers/me/earnings", { headers: { Authorization: `Bearer ${state.token}` } });
    if (!response.ok) return;
    const { balance } = await response.json();
    $("balance-settled").textContent = money(balance.settledCents, balance.currency);
    $("balance-pending").textContent = money(balance.pendingCents, balance.currency);
    $("balance-wrap").hidden = false;
  } catch {
    // Not essential: the balance refreshes after the next delivery or reconnect.
  }
}
