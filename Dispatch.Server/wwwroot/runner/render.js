// Draws the screen from the state: duty, earnings, the offer and the current job.
import { $ } from "../common/dom.js";
import { money } from "../common/format.js";
import { renderJob } from "./job.js";
import { renderCountdown, renderOfferStops } from "./offer.js";
import { clock, currentJob, state } from "./state.js";
import { formatDistance } from "./ui.js";

export function render() {
  const job = currentJob();
  const offer = state.offer;
  document.body.dataset.duty = state.online ? "online" : "offline";
  const duty = $("duty");
  duty.dataset.duty = state.online ? (job ? "busy" : "online") : "offline";
  duty.textContent = state.online ? (job ? "On a job" : "Online") : "Offline";

  $("shift").hidden = state.online;
  $("go-offline").hidden = !state.online;
  $("waiting").hidden = !state.online || !!job || !!offer;
  $("delivered-count").textContent = String(state.delivered);
  $("earnings").hidden = !state.online;
  if (state.earnings) {
    $("earnings-today").textContent = money(state.earnings.feesCents, state.earnings.currency);
    $("reimbursed-wrap").hidden = !(state.earnings.reimbursedCents > 0);
    $("reimbursed-today").textContent = money(state.earnings.reimbursedCents, state.earnings.currency);
  }

  $("offer").hidden = !offer;
  if (offer) {
    if (!offer.receivedAt) offer.receivedAt = Date.now();
    // A bundle offer is one card: every order of it, one pickup, accepted or declined together.
    const members = offer.bundle || [offer];
    $("offer-number").textContent =
      members.length > 1
        ? `${members.map((m) => m.orderNumber).join(" + ")} (${members.length} orders, one pickup)`
        : members[0].orderNumber;
    $("offer-pickup").textContent = offer.pickupAddress;
    $("offer-dropoff").textContent =
      members.length > 1 ? members.map((m) => `${m.orderNumber}: ${m.dropoffAddress}`).join(" · ") : members[0].dropoffAddress;
    $("offer-distance").textContent = formatDistance(offer.distanceToPickupMetres);
    $("offer-promised").textContent = clock.format(new Date(offer.promisedAt));
    $("offer-kind").hidden = offer.kind !== "frozen" && offer.kind !== "hotFood";
    $("offer-kind").textContent = offer.kind === "hotFood" ? "Hot food: keep it warm, never with frozen goods" : "Frozen goods: keep cold";
    renderOfferStops(offer);
    $("offer-errand").hidden = offer.priceCapCents == null;
    $("offer-errand").textContent =
      offer.priceCapCents == null
        ? ""
        : `Buy for me: shop at the pickup, up to ${money(offer.priceCapCents, state.earnings ? state.earnings.currency : "EUR")}`;
    renderCountdown();
  }

  $("job").hidden = !job;
  if (job) renderJob(job);
}
