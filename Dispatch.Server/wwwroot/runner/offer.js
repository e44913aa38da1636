// An offer: accept, decline with a reason, and its countdown.
import { $, el, showError } from "../common/dom.js";
import { render } from "./render.js";
import { STOP_ACTIONS, state } from "./state.js";
import { act, explain, selected, toast } from "./ui.js";

// Clears the answered offer only: another one that arrived while the answer was on its way stays on screen.
function forget(offer) {
  if (state.offer && state.offer.offerId === offer.offerId) state.offer = null;
}

$("accept").addEventListener("click", () => {
  const offer = state.offer;
  if (!offer || state.busy) return;
  act($("accept"), async () => {
    try {
      const result = await state.connection.invoke("AcceptOffer", offer.offerId);
      forget(offer);
      // A bundle gives every order of it still offered (one pickup), the first to do first.
      const jobs = result.jobs || [result.job];
      state.jobs = [...jobs, ...state.jobs.filter((j) => !jobs.some((n) => n.orderId === j.orderId))];
      showError("job-error", "");
      render();
    } catch (error) {
      forget(offer);
      render();
      toast(explain(error, "Could not accept the offer."), "error");
    }
  });
});

$("decline").addEventListener("click", () => {
  $("offer-actions").hidden = true;
  $("decline-panel").hidden = false;
});
$("decline-cancel").addEventListener("click", () => {
  $("decline-panel").hidden = true;
  $("offer-actions").hidden = false;
});
$("reasons").addEventListener("change", () => {
  $("decline-confirm").disabled = !selected("reason");
});
$("decline-confirm").addEventListener("click", () => {
  const offer = state.offer;
  const reason = selected("reason");
  if (!offer || !reason || state.busy) return;
  act($("decline-confirm"), async () => {
    try {
      await state.connection.invoke("DeclineOffer", offer.offerId, reason);
      forget(offer);
      render();
      toast("Offer declined", "info");
    } catch (error) {
      forget(offer);
      render();
      toast(explain(error, "Could not decline the offer."), "error");
    }
  });
});

export function renderCountdown() {
  const offer = state.offer;
  if (!offer) return;
  const total = Math.max(1, (Date.parse(offer.expiresAt) - (offer.receivedAt || Date.now())) / 1000);
  const left = Math.max(0, Math.ceil((Date.parse(offer.expiresAt) - Date.now()) / 1000));
  const countdown = $("offer-countdown");
  countdown.dataset.secondsLeft = String(left);
  countdown.textContent = left >= 60 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : `${left} s`;
  $("offer-bar").style.width = `${Math.min(100, (left / total) * 100)}%`;
  $("offer").classList.toggle("is-urgent", left <= 10);
  if (left === 0) {
    state.offer = null;
    toast("The offer expired", "warn");
    render();
  }
}

// An offer's multi-stop errand: its stops between the pickup and the drop-off in the offer's little route.
export function renderOfferStops(offer) {
  const list = $("offer-stops");
  list.querySelectorAll(".stop-via").forEach((li) => li.remove());
  const dropoff = $("offer-dropoff-stop");
  (offer.stops || []).forEach((s) => {
    const item = el("li", "stop stop-via");
    item.append(
      el("span", "stop-label", `Stop ${s.index + 1} · ${STOP_ACTIONS[s.action] || s.action}`),
      el("span", "stop-addr", s.address),
    );
    if (s.note) item.append(el("span", "stop-note", s.note));
    list.insertBefore(item, dropoff);
  });
}
