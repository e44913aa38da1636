// A buy-for-me errand on the job: the shopping list, the cap, and the receipt sent before delivery.
import { $, showError } from "../common/dom.js";
import { money } from "../common/format.js";
import { render } from "./render.js";
import { currentJob, state } from "./state.js";
import { act, explain } from "./ui.js";

// "31.20", "31,2" or "31" → 3120; null when it is not an amount.
export function parseCents(text) {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text || "");
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
}

$("receipt-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const job = currentJob();
  if (!job || state.busy) return;
  const cents = parseCents($("receipt-amount").value);
  const photo = $("receipt-photo").value.trim();
  if (cents === null) {
    showError("job-error", "Type the receipt total as on the receipt, e.g. 23.80.");
    return;
  }
  if (!photo) {
    showError("job-error", "Add the receipt photo's link or reference so the customer can check it.");
    return;
  }
  showError("job-error", "");
  act($("btn-receipt"), async () => {
    try {
      const change = await state.connection.invoke("SubmitReceipt", job.orderId, { amountCents: cents, photoRef: photo });
      job.buyForMe = change.buyForMe;
      $("receipt-amount").value = "";
      render();
    } catch (error) {
      showError("job-error", explain(error, "The receipt did not go through. Check your connection and try again."));
    }
  });
});

// The buy-for-me part of a job: what to buy, the cap, and where the receipt stands. Returns true when delivery may go ahead.
export function renderErrand(job, carrying) {
  const errand = job.buyForMe;
  const box = $("errand");
  box.hidden = !errand;
  if (!errand) return true;
  const cur = errand.currency;
  box.dataset.receipt = errand.receipt;
  $("errand-cap").textContent = money(errand.priceCapCents, cur);
  $("errand-list").textContent = errand.shoppingList;
  const texts = {
    none: carrying ? "Send the receipt total and a photo of it before you deliver." : "Buy these at the pickup and keep the receipt.",
    awaitingCustomer: `Waiting for the customer's approval of ${money(errand.receiptCents || 0, cur)} (over the cap of ${money(errand.priceCapCents, cur)}).`,
    approved: `Receipt approved: ${money(errand.approvedCents || 0, cur)}. You can deliver.`,
    rejected: `The customer rejected ${money(errand.receiptCents || 0, cur)}. Return what is over ${money(errand.priceCapCents, cur)} and send the new receipt.`,
  };
  $("receipt-state").textContent = texts[errand.receipt] || "";
  $("receipt-form").hidden = !carrying || !(errand.receipt === "none" || errand.receipt === "rejected");
  return errand.receipt === "approved";
}
