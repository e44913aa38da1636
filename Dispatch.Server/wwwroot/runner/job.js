// The current job: arrived → picked up → each stop of a multi-stop errand, in order → delivered with the PIN.
import { $, el, showError } from "../common/dom.js";
import { refreshEarnings } from "./duty.js";
import { renderErrand } from "./errand.js";
import { drawJobMap } from "./jobmap.js";
import { render } from "./render.js";
import { CARRYING, STEP_LABELS, STOP_ACTIONS, clock, currentJob, state } from "./state.js";
import { act, coords, explain, toast } from "./ui.js";

export async function step(button, method, extra) {
  const job = currentJob();
  if (!job || state.busy) return;
  showError("job-error", "");
  await act(button, async () => {
    try {
      const result = await state.connection.invoke(method, job.orderId, ...extra);
      if (result.status === "delivered") {
        state.jobs = state.jobs.filter((j) => j.orderId !== job.orderId);
        state.delivered++;
        $("pin").value = "";
        toast(`Order ${job.orderNumber} delivered`, "success");
        refreshEarnings();
      } else {
        job.status = result.status;
      }
      render();
    } catch (error) {
      showError("job-error", explain(error, "That did not go through. Check your connection and try again."));
    }
  });
}

// A multi-stop errand's stop is done: the server checks the order (pickup first, stops in order, once).
export function completeStop(button, index) {
  const job = currentJob();
  if (!job || state.busy) return;
  showError("job-error", "");
  act(button, async () => {
    try {
      const done = await state.connection.invoke("CompleteStop", job.orderId, index);
      job.stops = job.stops.map((s) => (s.index === done.stop.index ? done.stop : s));
      toast(
        done.done === done.total
          ? `All ${done.total} stops done: deliver to ${job.dropoffAddress}`
          : `Stop ${done.stop.index + 1} of ${done.total} done`,
        "success",
      );
      render();
    } catch (error) {
      showError("job-error", explain(error, "That did not go through. Check your connection and try again."));
    }
  });
}

$("route-stop-list").addEventListener("click", (e) => {
  const button = e.target.closest("button[data-stop]");
  if (button) completeStop(button, Number(button.dataset.stop));
});

$("btn-arrived").addEventListener("click", () => step($("btn-arrived"), "ArrivedAtPickup", []));
$("btn-picked-up").addEventListener("click", () => step($("btn-picked-up"), "PickedUp", []));
$("pin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const pin = $("pin").value.trim();
  if (!pin) {
    showError("job-error", "Ask the customer for their PIN and type it in.");
    return;
  }
  step($("btn-delivered"), "Delivered", [pin]);
});

// The stops of a multi-stop errand, in order: done ones ticked, the next one with a big "Done" once the goods are
// carried. Returns the next open stop (or null when all are done or there are none).
export function renderStops(job, carrying) {
  const stops = job.stops || [];
  const box = $("route-stops");
  box.hidden = stops.length === 0;
  const next = stops.find((s) => !s.doneAt) || null;
  if (stops.length === 0) return null;
  const done = stops.filter((s) => s.doneAt).length;
  $("route-stops-count").textContent = `${done} of ${stops.length} stops done`;
  const list = $("route-stop-list");
  list.replaceChildren(
    ...stops.map((s) => {
      const item = el("li", "route-stop");
      item.dataset.index = String(s.index);
      item.dataset.state = s.doneAt ? "done" : s === next ? "next" : "later";
      item.append(el("span", "route-stop-num", s.doneAt ? "✓" : String(s.index + 1)));
      const text = el("div", "route-stop-text");
      text.append(
        el("span", "route-stop-action", `Stop ${s.index + 1} · ${STOP_ACTIONS[s.action] || s.action}`),
        el("span", "route-stop-addr", s.address),
      );
      if (s.note) text.append(el("span", "stop-note", s.note));
      if (s.doneAt) text.append(el("span", "route-stop-done", `Done at ${clock.format(new Date(s.doneAt))}`));
      item.append(text);
      if (s === next && carrying) {
        const button = el("button", "btn btn-primary btn-big", `Done: stop ${s.index + 1}`);
        button.type = "button";
        button.dataset.stop = String(s.index);
        item.append(button);
      }
      return item;
    }),
  );
  return next;
}

export function renderJob(job) {
  const carrying = CARRYING.includes(job.status);
  const card = $("job");
  card.dataset.status = job.status;
  $("job-number").textContent = job.orderNumber;
  $("job-step").textContent = STEP_LABELS[job.status] || job.status;
  const order = ["accepted", "arrivedAtPickup", "pickedUp"];
  const at = carrying ? 2 : order.indexOf(job.status);
  $("job-progress")
    .querySelectorAll("li")
    .forEach((li, i) => {
      li.className = i < at ? "done" : i === at ? "current" : "";
    });

  const nextStop = renderStops(job, carrying);
  const stopCount = (job.stops || []).length;
  // While carrying, the target is the next open stop, then the drop-off.
  const viaStop = carrying ? nextStop : null;
  card.dataset.target = viaStop ? "stop" : carrying ? "dropoff" : "pickup";
  const lat = viaStop ? viaStop.lat : carrying ? job.dropoffLat : job.pickupLat;
  const lon = viaStop ? viaStop.lon : carrying ? job.dropoffLon : job.pickupLon;
  $("target-label").textContent = viaStop
    ? `Stop ${viaStop.index + 1} of ${stopCount} · ${STOP_ACTIONS[viaStop.action] || viaStop.action}`
    : carrying
      ? "Deliver to"
      : "Pick up at";
  $("target-address").textContent = viaStop ? viaStop.address : carrying ? job.dropoffAddress : job.pickupAddress;
  $("target-sub").textContent = viaStop
    ? `${viaStop.note ? `${viaStop.note} · ` : ""}then ${viaStop.index + 1 < stopCount ? `${stopCount - viaStop.index - 1} more stop${stopCount - viaStop.index - 1 > 1 ? "s" : ""} and ` : ""}${job.dropoffAddress}`
    : carrying
      ? `Customer ${job.customerPhoneMasked}${job.kind === "frozen" ? " · frozen: keep cold" : ""}`
      : `Then ${stopCount > 0 ? `${stopCount} stop${stopCount > 1 ? "s" : ""}, then ` : "to "}${job.dropoffAddress}`;

  drawJobMap(lat, lon, state.position);

  // Links only: the page never fetches a route itself.
  const from = state.position ? coords(state.position.lat, state.position.lon) : "";
  $("nav-link").href =
    `https://www.openstreetmap.org/directions?engine=fossgis_osrm_bike&route=${encodeURIComponent(from)}%3B${encodeURIComponent(coords(lat, lon))}`;
  $("map-link").href = `geo:${coords(lat, lon)}?q=${coords(lat, lon)}`;
  const plan = job.route && job.route.legs && job.route.legs.length ? job.route.legs : null;
  $("route-plan").hidden = !plan;
  if (plan) {
    const km = plan.reduce((sum, leg) => sum + leg.distanceMetres, 0) / 1000;
    const minutes = Math.round(plan.reduce((sum, leg) => sum + leg.durationSeconds, 0) / 60);
    $("route-plan").textContent =
      `Planned route ${km.toFixed(1)} km, about ${minutes} min on the streets (arrive by ${clock.format(new Date(plan[plan.length - 1].etaAt))})`;
  }

  $("btn-arrived").hidden = job.status !== "accepted";
  $("btn-picked-up").hidden = job.status !== "arrivedAtPickup";
  const receiptDone = renderErrand(job, carrying);
  $("pin-form").hidden = !carrying || !receiptDone || !!nextStop;
  $("stops-left").hidden = !carrying || !nextStop;
  $("stops-left").textContent = nextStop
    ? `Delivery and the PIN come after the last stop (${stopCount - (job.stops || []).filter((x) => x.doneAt).length} to go).`
    : "";
  const more = state.jobs.length - 1;
  $("job-more").hidden = more <= 0;
  $("job-more").textContent = more > 0 ? `${more} more order${more > 1 ? "s" : ""} after this one.` : "";
}
