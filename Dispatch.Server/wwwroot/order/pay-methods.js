// The payment methods switched on at the server (GET /api/customers/me/payment-methods, real providers first), shown as
// a choice above the payment step. The first is chosen by default: WeChat Pay or Alipay where configured, else the sandbox.
import { $, el } from "../common/dom.js";
import { call } from "./api.js";

const LABELS = { wechat: "WeChat Pay", alipay: "Alipay", sandbox: "Sandbox (demo)" };

export async function loadMethods() {
  const result = await call("GET", "/api/customers/me/payment-methods");
  return result.ok && result.body.methods.length ? result.body.methods : ["sandbox"];
}

// Draws one button per method and calls onChoose(method) when the customer picks one (again, to retry).
export function showMethods(methods, chosen, onChoose, retry = false) {
  const box = $("pay-methods");
  box.replaceChildren(
    ...methods.map((method) => {
      const button = el("button", "service pay-method", LABELS[method] || method);
      button.type = "button";
      button.dataset.method = method;
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", String(method === chosen));
      button.onclick = () => {
        for (const other of box.children) other.setAttribute("aria-checked", String(other === button));
        onChoose(method);
      };
      return button;
    }),
  );
  box.hidden = methods.length < 2 && !retry;
}
