// A full-page message instead of the tracking (an expired, revoked or unknown link): the map goes away.
import { $ } from "../common/dom.js";
import { state } from "./state.js";
export function showMessage(title, text) {
  state.failed = true;
  document.body.dataset.state = "error";
  $("app").hidden = true;
  $("loading").hidden = true;
  if (state.map) {
    state.map.remove();
    state.map = null;
  }
  $("message-title").textContent = title;
  $("message-text").textContent = text;
  $("message").hidden = false;
}

export function showLinkProblem(message) {
  const expired = /expired|revoked/i.test(message);
  showMessage(expired ? "Link expired" : "Link not recognised", message);
}
