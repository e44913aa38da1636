// Buy for me: the shopping list, the cap, the receipt, and the customer's decision on a receipt over the cap.
import { $ } from "../common/dom.js";
import { money } from "../common/format.js";
import { serverMessage } from "../common/hub.js";
import { state } from "./state.js";

export function renderErrand() {
  const errand = state.buyForMe;
  const card = $("errand-card");
  card.hidden = !errand;
  if (!errand) return;
  const cur = errand.currency;
  card.dataset.receipt = errand.receipt;
  $("errand-cap").textContent = money(errand.priceCapCents, cur);
  $("errand-list").textContent = errand.shoppingList;
  const hasReceipt = errand.receipt !== "none" && errand.receiptCents != null;
  $("receipt").hidden = !hasReceipt;
  if (!hasReceipt) return;
  $("receipt-amount").textContent = money(errand.receiptCents, cur);
  const over = errand.receiptCents - errand.priceCapCents;
  $("receipt-over-wrap").hidden = over <= 0;
  $("receipt-over").textContent = money(Math.max(0, over), cur);
  const photo = errand.receiptPhotoRef || "";
  $("receipt-photo").hidden = !/^https?:\/\//i.test(photo);
  if (/^https?:\/\//i.test(photo)) $("receipt-photo").href = photo;
  const ended = ["delivered", "cancelled", "failed"].includes(state.status);
  const texts = {
    awaitingCustomer: `The shopping came to more than the ${money(errand.priceCapCents, cur)} you allowed. Approve it and the courier brings everything; reject it and they return what is over your cap and send a new receipt.`,
    approved:
      over <= 0
        ? `Within your cap: approved automatically. You pay back ${money(errand.approvedCents, cur)}.`
        : `You approved ${money(errand.approvedCents, cur)}.`,
    rejected: "You rejected this receipt. The courier returns what is over your cap and sends a new receipt.",
  };
  $("receipt-text").textContent = texts[errand.receipt] || "";
  $("receipt-actions").hidden = errand.receipt !== "awaitingCustomer" || ended;
}

export async function decideReceipt(approve) {
  if (state.busy || !state.snapshot) return;
  state.busy = true;
  $("receipt-approve").disabled = $("receipt-reject").disabled = true;
  $("errand-error").hidden = true;
  try {
    const change = await state.connection.invoke("DecideReceipt", state.token, state.snapshot.orderId, approve);
    applyReceipt(change);
  } catch (error) {
    $("errand-error").textContent = serverMessage(error) || "That did not go through. Check your connection and try again.";
    $("errand-error").hidden = false;
  } finally {
    state.busy = false;
    $("receipt-approve").disabled = $("receipt-reject").disabled = false;
  }
}

export function applyReceipt(change) {
  if (!state.snapshot || change.orderId !== state.snapshot.orderId) return;
  state.buyForMe = change.buyForMe;
  renderErrand();
}

$("receipt-approve").addEventListener("click", () => decideReceipt(true));
$("receipt-reject").addEventListener("click", () => decideReceipt(false));
