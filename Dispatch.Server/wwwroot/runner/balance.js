// The courier's balance from the earnings ledger, through the hub (GetEarnings, the same answer as
// GET /api/couriers/me/earnings): settled (what a withdrawal may take) and pending (earned, settled by the next daily
// settlement). Read when going online; EarningsChanged pushes the new balance after a delivery or a withdrawal decision.
import { $ } from "../common/dom.js";
import { money } from "../common/format.js";
import { state } from "./state.js";

export function showBalance(balance) {
  $("balance-settled").textContent = money(balance.settledCents, balance.currency);
  $("balance-pending").textContent = money(balance.pendingCents, balance.currency);
  $("balance-wrap").hidden = false;
}

export async function refreshBalance() {
  if (!state.connection) return;
  try {
    const earnings = await state.connection.invoke("GetEarnings", null, null);
    showBalance(earnings.balance);
  } catch {
    // Not essential: the balance comes with the next EarningsChanged or the next time the courier goes online.
  }
}
