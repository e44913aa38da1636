// The sheet under the map: headline, courier, ETA countdown and the timeline of the order's steps.
import { $ } from "../common/dom.js";
import { renderErrand } from "./errand.js";
import { renderRating } from "./rating.js";
import { STEPS, TERMINAL, clock, dayClock, state } from "./state.js";
import { renderStops } from "./stops.js";

export function headline() {
  const name = state.snapshot.courierName || "Your courier";
  switch (state.status) {
    case "placed":
      return "We've got your order";
    case "paid":
    case "dispatching":
    case "offered":
      return "Finding a courier for you";
    case "accepted":
      return `${name} is heading to the pickup`;
    case "arrivedAtPickup":
      return `${name} is collecting your order`;
    case "pickedUp":
    case "inTransit":
      return `${name} is on the way`;
    case "arrivedAtDropoff":
      return `${name} has arrived`;
    case "delivered":
      return "Delivered. Enjoy!";
    case "cancelled":
      return "This order was cancelled";
    case "failed":
      return "We couldn't complete this delivery";
    default:
      return "Tracking your delivery";
  }
}

export function renderPanel() {
  const s = state.snapshot;
  document.body.dataset.status = state.status;
  $("order-number").textContent = s.orderNumber;
  $("headline").textContent = headline();

  const hasCourier = Boolean(s.courierName) && !["delivered", "cancelled", "failed"].includes(state.status);
  $("courier-card").hidden = !s.courierName;
  if (s.courierName) {
    $("courier-name").textContent = s.courierName;
    $("courier-initial").textContent = s.courierName.slice(0, 1).toUpperCase();
    $("courier-phone").textContent = s.courierPhoneMasked || "";
  }
  document.body.classList.toggle("has-courier", hasCourier);
  renderEta();
  renderTimeline();
  renderErrand();
  renderStops();
  renderRating();
}

export function renderEta() {
  const eta = $("eta");
  const done = state.status === "delivered";
  const over = ["cancelled", "failed"].includes(state.status);
  $("eta-card").hidden = over;
  const promised = new Date(state.snapshot.promisedAt);
  if (done) {
    const delivered = state.timeline.find((t) => t.step === "delivered");
    $("eta-label").textContent = "Delivered at";
    eta.textContent = delivered ? clock.format(new Date(delivered.at)) : "—";
    setSide("Promised", clock.format(promised), delivered && new Date(delivered.at) <= promised ? "On time" : "");
    return;
  }
  if (state.etaDeadline === null) {
    $("eta-label").textContent = "Arriving by";
    eta.textContent = clock.format(promised);
    setSide("", "", "");
    return;
  }
  const left = Math.max(0, Math.round((state.etaDeadline - Date.now()) / 1000));
  eta.dataset.etaLeft = String(left);
  $("eta-label").textContent = "Arriving in";
  if (left <= 0) {
    eta.textContent = "Any moment";
  } else {
    const m = Math.floor(left / 60),
      sec = left % 60;
    eta.innerHTML = m > 0 ? `${m}<small>min</small> ${String(sec).padStart(2, "0")}<small>s</small>` : `${sec}<small>s</small>`;
  }
  setSide("Expected", clock.format(new Date(state.etaDeadline)), `Promised by ${clock.format(promised)}`);
}

export function setSide(label, time, note) {
  $("eta-side-label").textContent = label;
  $("eta-clock").textContent = time;
  $("promised").textContent = note;
  $("eta-side-label").hidden = !label;
  $("eta-clock").hidden = !time;
  $("promised").hidden = !note;
}

export function renderTimeline() {
  const reached = new Map();
  for (const entry of state.timeline) {
    const step = STEPS.find((s) => s.steps.includes(entry.step));
    if (step && !reached.has(step.key)) reached.set(step.key, entry);
  }
  const lastReached = STEPS.reduce((last, s, i) => (reached.has(s.key) ? i : last), -1);
  const terminal = state.timeline.find((t) => TERMINAL[t.step]);
  const items = [];
  STEPS.forEach((step, i) => {
    const entry = reached.get(step.key);
    if (entry) {
      items.push({
        label: step.key === "accepted" && state.snapshot.courierName ? `${state.snapshot.courierName} accepted your order` : step.label,
        at: entry.at,
        cls: i === lastReached && !terminal ? "current" : "done",
      });
    } else if (i > lastReached && !step.minor && !terminal) {
      items.push({ label: step.label, at: null, cls: "upcoming" });
    }
  });
  if (terminal) items.push({ label: TERMINAL[terminal.step], at: terminal.at, cls: "current terminal" });

  const list = $("timeline");
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      li.className = item.cls;
      const label = document.createElement("span");
      label.className = "step";
      label.textContent = item.label;
      li.append(label);
      if (item.at) {
        const time = document.createElement("time");
        const at = new Date(item.at);
        time.dateTime = at.toISOString();
        time.textContent = isToday(at) ? clock.format(at) : dayClock.format(at);
        li.append(time);
      }
      return li;
    }),
  );
}

export function isToday(date) {
  return date.toDateString() === new Date().toDateString();
}
