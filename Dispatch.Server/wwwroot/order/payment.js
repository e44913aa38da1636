// Payment between placing the order and tracking it: the customer picks a method (pay-methods.js), the server starts a
// try at that provider (POST /api/customers/me/orders/{id}/payment), the page shows the provider's step (client-step.js)
// and follows the order's payment state (payment-watch.js). pay(order) resolves once it is paid, the order is cancelled,
// or the customer chooses to pay later (the order then waits, Placed, until it expires).
import { $, showError } from "../common/dom.js";
import { call, money, problem } from "./api.js";
import { CHANNELS, showClientStep } from "./client-step.js";
import { loadMethods, showMethods } from "./pay-methods.js";
import { watchPayment } from "./payment-watch.js";

// Long enough to read "Paid" before the tracking page opens.
const PAID_PAUSE_MS = 1200;

const TEXTS = {
  waiting: "Waiting for the payment…",
  paid: "Paid. Opening the tracking page…",
  failed: "The payment failed and nothing was charged. Try again or choose another method.",
  cancelled: "This order was cancelled; nothing was charged.",
};

function setState(state) {
  $("pay-state").textContent = TEXTS[state];
  $("payment").dataset.state = state;
}

export async function pay(order) {
  $("payment").hidden = false;
  $("pay-amount").textContent = "";
  $("pay-button").hidden = true;
  showError("pay-error", "");
  const methods = await loadMethods();
  $("payment").scrollIntoView({ block: "center" });
  return new Promise((resolve) => {
    let watching = new AbortController();
    let tries = 0;

    async function start(method) {
      watching.abort();
      watching = new AbortController();
      const signal = watching.signal;
      showError("pay-error", "");
      $("pay-step").replaceChildren();
      $("pay-button").hidden = true;
      $("pay-state").textContent = "";
      const body = { provider: method };
      if (CHANNELS[method]) body.channel = CHANNELS[method];
      const started = await call("POST", `/api/customers/me/orders/${order.id}/payment`, body);
      if (signal.aborted) return;
      if (!started.ok) return showError("pay-error", problem(started, "Could not start the payment."));
      $("pay-amount").textContent = money(started.body.amountCents, started.body.currency);
      showClientStep(started.body, (text) => showError("pay-error", text));
      setState("waiting");
      const retry = tries++ > 0 || order.paymentState === "failed";
      const outcome = await watchPayment(order.id, signal, retry).catch(() => null);
      if (outcome === null) return;
      setState(outcome);
      if (outcome === "failed") return showMethods(methods, method, start, true);
      if (outcome === "paid") setTimeout(() => resolve({ paid: true, order }), PAID_PAUSE_MS);
      else resolve({ paid: false, order });
    }

    $("pay-later").onclick = () => {
      watching.abort();
      resolve({ paid: false, order });
    };
    showMethods(methods, methods[0], start);
    start(methods[0]);
  });
}
