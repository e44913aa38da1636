// The courier and order counters and the key figures (acceptance, ETA error).
import { board } from "./store.js";
import { $ } from "../common/dom.js";

export function renderCounters() {
  const n = { online: 0, idle: 0, toPickup: 0, carrying: 0, stale: 0, offline: 0 };
  for (const c of board.couriers.values()) {
    if (c.activity === "offline") n.offline++;
    else if (c.stale) n.stale++;
    else {
      n.online++;
      if (n[c.activity] !== undefined) n[c.activity]++;
    }
  }
  const box = $("counters");
  box.dataset.couriers = n.online;
  box.dataset.idle = n.idle;
  box.dataset.toPickup = n.toPickup;
  box.dataset.carrying = n.carrying;
  box.dataset.stale = n.stale;
  box.dataset.offline = n.offline;
  $("count-online").textContent = n.online;
  $("count-idle").textContent = n.idle;
  $("count-topickup").textContent = n.toPickup;
  $("count-carrying").textContent = n.carrying;
  $("count-stale").textContent = n.stale;
}

export function renderKpis() {
  const k = board.kpis || {
    unassigned: 0,
    assigned: 0,
    carrying: 0,
    late: 0,
    coldChainAtRisk: 0,
    offersAnswered: 0,
    acceptanceRate: null,
    etaMaeSeconds: null,
    etaSamples: 0,
  };
  const box = $("order-counters");
  box.dataset.unassigned = k.unassigned;
  box.dataset.assigned = k.assigned;
  box.dataset.carrying = k.carrying;
  box.dataset.late = k.late;
  box.dataset.cold = k.coldChainAtRisk;
  $("count-unassigned").textContent = k.unassigned;
  $("count-assigned").textContent = k.assigned;
  $("count-oncarry").textContent = k.carrying;
  $("count-late").textContent = k.late;
  $("count-cold").textContent = k.coldChainAtRisk;
  box.querySelector(".counter-late").classList.toggle("hot", k.late > 0);
  box.querySelector(".counter-cold").classList.toggle("hot", k.coldChainAtRisk > 0);
  box.querySelector(".counter-unassigned").classList.toggle("hot", k.unassigned > 0);
  $("kpi-acceptance").textContent =
    k.acceptanceRate === null || k.acceptanceRate === undefined ? "—" : `${Math.round(k.acceptanceRate * 100)} % of ${k.offersAnswered}`;
  $("kpi-eta").textContent =
    k.etaMaeSeconds === null || k.etaMaeSeconds === undefined
      ? "—"
      : `${k.etaMaeSeconds < 120 ? `${Math.round(k.etaMaeSeconds)} s` : `${(k.etaMaeSeconds / 60).toFixed(1)} min`} · ${k.etaSamples} orders`;
}
