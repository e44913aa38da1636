// What the customer does at the provider, from the start answer's `client`: WeChat Pay Native gives a code URL, drawn
// as a QR code to scan with the WeChat app (and shown as text); Alipay precreate a URL that opens Alipay's pay page; the
// sandbox a pay link standing in for both.
import { $, el } from "../common/dom.js";
import { call, money, problem } from "./api.js";

// The product each method uses from a web page outside the provider's app.
export const CHANNELS = { wechat: "native", alipay: "precreate" };

export function showClientStep(started, onError) {
  const step = $("pay-step");
  const amount = money(started.amountCents, started.currency);
  const client = started.client || {};
  $("pay-button").hidden = started.provider !== "sandbox";
  if (started.provider === "wechat") {
    const codeLink = link(client.codeUrl, client.codeUrl, "pay-link");
    step.replaceChildren(el("p", "pay-instruction", `Scan this code with WeChat to pay ${amount}:`), codeLink);
    // Loaded on demand so that a missing /lib/qrcode.mjs (web/build.sh not rerun) leaves the link, not a broken page.
    import("./qr.js").then(({ qrImage }) => codeLink.before(qrImage(client.codeUrl, "WeChat Pay code"))).catch(() => {});
  } else if (started.provider === "alipay") {
    step.replaceChildren(
      el("p", "pay-instruction", `Pay ${amount} on Alipay's page:`),
      link(client.qrCode, "Open Alipay to pay", "pay-link"),
    );
  } else {
    step.replaceChildren();
    $("pay-button").disabled = !client.payUrl;
    $("pay-button").onclick = async () => {
      $("pay-button").disabled = true;
      const result = await call("POST", client.payUrl);
      if (result.ok) return;
      $("pay-button").disabled = false;
      onError(problem(result, "The payment did not go through."));
    };
  }
}

function link(href, text, className) {
  const a = el("a", className, text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener";
  return a;
}
