// Payment between placing the order and tracking it: POST /api/customers/me/orders/{id}/payment starts a try at the
// provider, whose answer says what the client needs. The sandbox (the demo's provider) gives a pay link that stands in
// for the provider's own page. pay(order) resolves once the customer has paid or chosen to pay later (the order then
// waits, Placed, until it expires).
import { $, showError } from "../common/dom.js";
import { call, money, problem } from "./api.js";

const PROVIDER = "sandbox";

export async function pay(order) {
  $("payment").hidden = false;
  $("pay-amount").textContent = "";
  showError("pay-error", "");
  const started = await call("POST", `/api/customers/me/orders/${order.id}/payment`, { provider: PROVIDER });
  if (!started.ok) showError("pay-error", problem(started, "Could not start the payment."));
  else $("pay-amount").textContent = money(started.body.amountCents, started.body.currency);
  const payUrl = started.ok ? started.body.client.payUrl : null;
  $("pay-button").disabled = !payUrl;
  $("payment").scrollIntoView({ block: "center" });
  const paid = await new Promise((resolve) => {
    $("pay-button").onclick = async () => {
      $("pay-button").disabled = true;
      showError("pay-error", "");
      const result = await call("POST", payUrl);
      if (result.ok) return resolve(true);
      $("pay-button").disabled = false;
      showError("pay-error", problem(result, "The payment did not go through."));
    };
    $("pay-later").onclick = () => resolve(false);
  });
  return { paid, order };
}
