// A multi-stop errand's stops on the way, ticked as the courier does them.
import { $ } from "../common/dom.js";
import { drawRoute } from "./courier.js";
import { stopIcon } from "./map.js";
import { STOP_ACTIONS, clock, state } from "./state.js";

export function renderStops() {
  const stops = (state.snapshot && state.snapshot.stops) || [];
  $("stops-card").hidden = stops.length === 0;
  if (stops.length === 0) return;
  const done = stops.filter((x) => x.doneAt).length;
  $("stops-count").textContent = `${done} of ${stops.length} done`;
  $("stop-list").replaceChildren(
    ...stops.map((x) => {
      const li = document.createElement("li");
      li.className = "stop-item";
      li.dataset.done = String(Boolean(x.doneAt));
      const mark = document.createElement("span");
      mark.className = "stop-mark";
      mark.textContent = x.doneAt ? "✓" : String(x.index + 1);
      const what = document.createElement("span");
      what.className = "stop-what";
      what.textContent = `Stop ${x.index + 1} · ${STOP_ACTIONS[x.action] || x.action}`;
      const where = document.createElement("span");
      where.className = "stop-where";
      where.textContent = x.address;
      const when = document.createElement("span");
      when.className = "stop-when";
      when.textContent = x.doneAt ? clock.format(new Date(x.doneAt)) : "to do";
      li.append(mark, what, when, where);
      return li;
    }),
  );
  (state.layers.stops || []).forEach((marker, i) => {
    if (stops[i]) marker.setIcon(stopIcon(stops[i]));
  });
}

export function applyStop(completed) {
  if (!state.snapshot || completed.orderId !== state.snapshot.orderId || !state.snapshot.stops) return;
  state.snapshot.stops = state.snapshot.stops.map((x) => (x.index === completed.stop.index ? completed.stop : x));
  renderStops();
  drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
}
