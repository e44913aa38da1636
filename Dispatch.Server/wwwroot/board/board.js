// Dispatcher's control-room board (/board/): signs in with a dispatcher or admin token, watches one zone on
// /hubs/control (JSON protocol) and draws every courier as a small canvas circle coloured by activity and every open
// order as a ring coloured by its state. Frames carry only what changed (couriers that moved, orders that changed or
// closed, the alert list when it changed, the key figures); markers are updated in place, never rebuilt.
// Commands go over HTTP with the same token: search (GET /api/orders/search), the order drawer (GET /api/orders/{id},
// /dispatch, /route), assign (POST /api/orders/{id}/assign), cancel, move all of a courier's orders
// (POST /api/couriers/{id}/reassign) and acknowledge an alert (POST /api/zones/{zone}/alerts/acknowledge).
(function () {
  "use strict";

  const HUB = "/hubs/control";
  const TOKEN_KEY = "dispatch.board.token";
  const STALE_MS = 90_000;
  const STALE_CHECK_MS = 3000;
  const MAX_LISTED = 300; // orders rendered in the list; the map shows all
  const COLOURS = { idle: "#16a34a", toPickup: "#d97706", carrying: "#0e7490", offline: "#94a3b8", stale: "#94a3b8" };
  const ORDER_COLOURS = { unassigned: "#e11d48", assigned: "#d97706", carrying: "#0e7490" };
  const ACTIVITY_LABELS = { idle: "Idle", toPickup: "To pickup", carrying: "Carrying", offline: "Offline" };
  const STATUS_LABELS = {
    placed: "Placed", paid: "Paid", dispatching: "Dispatching", offered: "Finding a courier", accepted: "Accepted", arrivedAtPickup: "At pickup",
    pickedUp: "Picked up", inTransit: "In transit", arrivedAtDropoff: "At drop-off", delivered: "Delivered",
    cancelled: "Cancelled", failed: "Failed", unassigned: "Unassigned",
  };
  const UNASSIGNED = ["paid", "dispatching", "offered"];
  const ASSIGNED = ["accepted", "arrivedAtPickup"];
  const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];
  const ASSIGNABLE = [...UNASSIGNED, ...ASSIGNED];
  const CANCELLABLE = ["placed", ...UNASSIGNED, ...ASSIGNED];
  // Line icons (SVG paths, 24×24) per alert kind: no icon font or emoji needed.
  const ALERT_ICONS = {
    staleCourier: "M2 8.8a15 15 0 0 1 20 0M5 12.6a10 10 0 0 1 14 0M8.5 16.4a5 5 0 0 1 7 0M12 20h.01M3 3l18 18",
    unassigned: "M12 8v4l3 3M3.05 11a9 9 0 1 1 .5 4M3 4v7h7",
    late: "M12 7v5l3 2M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z",
    coldChainAtRisk: "M12 2v20M4.9 6l14.2 12M4.9 18L19.1 6M9 4l3 3 3-3M9 20l3-3 3 3",
    orderDeclineStorm: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM15 9l-6 6M9 9l6 6",
    courierDeclineStorm: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM15 9l-6 6M9 9l6 6",
    pinLocked: "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
  };
  const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
  const ORDER_NO = /^d?-?\d{1,9}$/i;

  const $ = (id) => document.getElementById(id);
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const shortClock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

  // The page's store, exposed for tests and the console: couriers (id → { lat, lon, at, activity, activeOrders, name, stale }),
  // open orders (id → BoardOrder), the alert list (newest first) and the key figures.
  const board = { couriers: new Map(), orders: new Map(), alerts: [], kpis: null, zone: null, frames: 0 };
  window.board = board;

  const state = {
    token: "", connection: null, map: null, renderer: null, zones: [], markers: new Map(), orderMarkers: new Map(),
    selection: null, selectedOrder: null, selectedCourier: null, searchResults: null, orderRefresh: 0,
  };

  // ---- helpers -----------------------------------------------------------------------------------------------

  function serverMessage(error) {
    const text = String((error && error.message) || error || "");
    const at = text.indexOf("HubException: ");
    return at >= 0 ? text.slice(at + "HubException: ".length) : null;
  }

  function showError(id, text) {
    const node = $(id);
    node.textContent = text || "";
    node.hidden = !text;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function time(value) {
    const d = new Date(value);
    return isNaN(d) ? "" : clock.format(d);
  }

  function shortTime(value) {
    const d = new Date(value);
    return isNaN(d) ? "" : shortClock.format(d);
  }

  function ago(value) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(value)) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min ago`;
  }

  function metres(a, b) {
    const r = 6371008.8, rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(h));
  }

  function distanceText(m) {
    return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
  }

  function courierName(id) {
    const c = board.couriers.get(id);
    return (c && c.name) || (id ? `Courier ${id.slice(0, 8)}` : "");
  }

  // Courier ids in event actors and notes ("courier:0196…", "courier 0196…") read as the courier's name when the board knows it.
  function readable(text) {
    return String(text || "").replace(/courier[: ]([0-9a-f]{32})/g, (match, hex) => {
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const c = board.couriers.get(id);
      return c && c.name ? `courier ${c.name}` : match;
    });
  }

  function groupOf(status) {
    if (UNASSIGNED.includes(status)) return "unassigned";
    if (CARRYING.includes(status)) return "carrying";
    return "assigned";
  }

  // HTTP with the board's token; a refusal becomes an Error carrying the server's problem-details text.
  async function api(method, path, body) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${state.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 204) return null;
    let payload = null;
    try { payload = await response.json(); } catch { payload = null; }
    if (response.ok) return payload;
    if (response.status === 401) throw new Error("Your session has expired; sign in again.");
    if (response.status === 403) throw new Error("Your token may not do this: it needs the dispatcher or admin role.");
    const detail = payload && (payload.detail || (payload.errors && Object.values(payload.errors).flat()[0]) || payload.title);
    throw new Error(detail || `The server answered ${response.status}.`);
  }

  // ---- token and sign in -------------------------------------------------------------------------------------

  function roleOf(token) {
    const c = DispatchToken.claims(token);
    if (!c) return null;
    const role = c.role || c["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
    return Array.isArray(role) ? role.join(", ") : role || null;
  }

  function signIn(token) {
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    showError("signin-error", "");
    $("signin").hidden = true;
    $("app").hidden = false;
    document.body.dataset.state = "app";
    ensureMap();
    connect();
  }

  async function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    const connection = state.connection;
    state.connection = null;
    state.token = "";
    if (connection) await connection.stop().catch(() => {});
    clearBoard();
    $("app").hidden = true;
    $("signin").hidden = false;
    document.body.dataset.state = "signin";
    $("token-input").value = "";
    showError("signin-error", message || "");
  }

  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) { showError("signin-error", "Paste your dispatcher token first."); return; }
    signIn(token);
  });

  $("demo-button").addEventListener("click", async () => {
    const button = $("demo-button");
    button.disabled = true;
    try {
      const response = await fetch("/dev/token", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ role: "dispatcher", subject: "demo-dispatcher" }),
      });
      if (response.status === 404) {
        button.hidden = true;
        showError("signin-error", "Demo dispatchers are only available on a development server.");
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      signIn((await response.json()).token);
    } catch (error) {
      showError("signin-error", `Could not get a demo dispatcher token (${error.message}).`);
    } finally {
      button.disabled = false;
    }
  });

  $("signout").addEventListener("click", () => signOut());

  // ---- map ---------------------------------------------------------------------------------------------------

  function ensureMap() {
    if (state.map) return;
    const map = L.map("map", { zoomControl: false, attributionControl: false, zoomSnap: 0.25 });
    L.control.zoom({ position: "bottomright" }).addTo(map);
    document.body.classList.add("no-tiles");
    map.createPane("zones").style.zIndex = 250;
    map.createPane("orders").style.zIndex = 390;
    map.createPane("selection").style.zIndex = 640;
    map.setView([43.7384, 7.4246], 14); // until the zones arrive
    state.renderer = L.canvas({ padding: 0.3 });
    state.orderRenderer = L.canvas({ padding: 0.3, pane: "orders" });
    state.map = map;
  }

  async function loadZones() {
    const response = await fetch("/api/zones", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`GET /api/zones answered ${response.status}`);
    const zones = await response.json();
    if (zones.length === 0) throw new Error("This server serves no zones.");
    state.zones = zones;
    const wanted = new URLSearchParams(location.search).get("zone");
    const zone = zones.find((z) => z.name === wanted) || zones[0];
    const map = state.map;
    const world = [[-85, -180], [-85, 180], [85, 180], [85, -180]];
    L.polygon([world, ...zones.map((z) => z.boundary)], { pane: "zones", className: "zone-mask", stroke: false, interactive: false }).addTo(map);
    for (const z of zones) {
      L.polygon(z.boundary, { pane: "zones", className: "zone", weight: 1.5, fill: false, interactive: false }).addTo(map);
    }
    const b = zone.bounds;
    map.fitBounds([[b.minLat, b.minLon], [b.maxLat, b.maxLon]], { padding: [24, 24] });
    return zone.name;
  }

  // ---- couriers ----------------------------------------------------------------------------------------------

  function colourOf(c) {
    return c.stale ? COLOURS.stale : COLOURS[c.activity] || COLOURS.offline;
  }

  function isStale(c, now) {
    return c.activity !== "offline" && now - Date.parse(c.at) > STALE_MS;
  }

  // Tooltips are text nodes: Leaflet puts a string tooltip in as HTML, and names come from outside.
  function tooltip(id, c) {
    const label = c.stale ? "Stale" : ACTIVITY_LABELS[c.activity] || c.activity;
    return document.createTextNode(`${c.name || id.slice(0, 8)} · ${label} · ${c.activeOrders} order${c.activeOrders === 1 ? "" : "s"} · ${time(c.at)}`);
  }

  // Adds or moves one courier; its marker is created once and then only moved or recoloured.
  function upsert(bc, now) {
    const id = bc.courierId;
    let c = board.couriers.get(id);
    if (!c) {
      c = { lat: bc.lat, lon: bc.lon, at: bc.at, activity: bc.activity, activeOrders: bc.activeOrders, name: bc.name || null, stale: false };
      c.stale = isStale(c, now);
      board.couriers.set(id, c);
      const marker = L.circleMarker([c.lat, c.lon], {
        renderer: state.renderer, radius: 6, weight: 1.5, color: "#ffffff", fillColor: colourOf(c), fillOpacity: 0.95,
      }).addTo(state.map);
      marker.bindTooltip(() => tooltip(id, board.couriers.get(id)), { direction: "top", offset: [0, -4] });
      marker.on("click", () => openCourier(id));
      state.markers.set(id, marker);
      return;
    }
    const before = colourOf(c);
    const moved = c.lat !== bc.lat || c.lon !== bc.lon;
    c.lat = bc.lat; c.lon = bc.lon; c.at = bc.at; c.activity = bc.activity; c.activeOrders = bc.activeOrders;
    if (bc.name) c.name = bc.name;
    c.stale = isStale(c, now);
    const marker = state.markers.get(id);
    if (moved) marker.setLatLng([c.lat, c.lon]);
    const after = colourOf(c);
    if (after !== before) marker.setStyle({ fillColor: after });
  }

  function removeCourier(id) {
    const marker = state.markers.get(id);
    if (marker) marker.remove();
    state.markers.delete(id);
    board.couriers.delete(id);
  }

  // ---- orders on the map -------------------------------------------------------------------------------------

  // Before pickup an order sits at its pickup; on the way, at its drop-off.
  function orderPlace(o) {
    return CARRYING.includes(o.status) ? [o.dropoffLat, o.dropoffLon] : [o.pickupLat, o.pickupLon];
  }

  function orderTooltip(o) {
    const who = o.courierName || (o.courierId ? courierName(o.courierId) : "no courier yet");
    return document.createTextNode(`${o.number} · ${STATUS_LABELS[o.status] || o.status} · ${who} · promised ${shortTime(o.promisedAt)}`);
  }

  function upsertOrder(o) {
    board.orders.set(o.orderId, o);
    const colour = ORDER_COLOURS[groupOf(o.status)];
    let marker = state.orderMarkers.get(o.orderId);
    if (!marker) {
      marker = L.circleMarker(orderPlace(o), {
        renderer: state.orderRenderer, pane: "orders", radius: 7, weight: 3, color: colour, fillColor: "#ffffff", fillOpacity: 0.9,
      }).addTo(state.map);
      marker.bindTooltip(() => orderTooltip(board.orders.get(o.orderId) || o), { direction: "top", offset: [0, -6] });
      marker.on("click", () => openOrder(o.orderId));
      state.orderMarkers.set(o.orderId, marker);
      return;
    }
    marker.setLatLng(orderPlace(o));
    marker.setStyle({ color: colour });
  }

  function removeOrder(id) {
    const marker = state.orderMarkers.get(id);
    if (marker) marker.remove();
    state.orderMarkers.delete(id);
    board.orders.delete(id);
  }

  // ---- frames ------------------------------------------------------------------------------------------------

  function apply(frame, replace) {
    const now = Date.now();
    for (const bc of frame.couriers || []) upsert(bc, now);
    if (replace) {
      const open = new Set((frame.orders || []).map((o) => o.orderId));
      for (const id of [...board.orders.keys()]) if (!open.has(id)) removeOrder(id);
    }
    let ordersChanged = replace;
    for (const o of frame.orders || []) { upsertOrder(o); ordersChanged = true; }
    for (const id of frame.removedOrders || []) { removeOrder(id); ordersChanged = true; }
    if (frame.alerts) { board.alerts = frame.alerts; renderAlerts(); }
    if (frame.kpis) { board.kpis = frame.kpis; renderKpis(); }
    board.frames++;
    board.lastFrameAt = frame.at;
    $("frame-info").textContent = `Last update ${time(frame.at)} · ${(frame.couriers || []).length} courier${(frame.couriers || []).length === 1 ? "" : "s"} moved`;
    renderCounters();
    if (ordersChanged) renderOrders();
    if (state.selectedOrder && ((frame.orders || []).some((o) => o.orderId === state.selectedOrder) || (frame.removedOrders || []).includes(state.selectedOrder))) {
      scheduleOrderRefresh();
    }
    if (state.selectedCourier && (ordersChanged || (frame.couriers || []).some((c) => c.courierId === state.selectedCourier))) renderCourier();
  }

  function clearBoard() {
    for (const marker of state.markers.values()) marker.remove();
    for (const marker of state.orderMarkers.values()) marker.remove();
    state.markers.clear();
    state.orderMarkers.clear();
    board.couriers.clear();
    board.orders.clear();
    board.alerts = [];
    board.kpis = null;
    closeOrder();
    closeCourier();
    renderCounters();
    renderOrders();
    renderAlerts();
    renderKpis();
  }

  // Positions age without frames: re-check staleness every few seconds and recolour only what changed.
  function recheckStale() {
    const now = Date.now();
    let changed = false;
    for (const [id, c] of board.couriers) {
      const stale = isStale(c, now);
      if (stale === c.stale) continue;
      c.stale = stale;
      state.markers.get(id).setStyle({ fillColor: colourOf(c) });
      changed = true;
    }
    if (changed) renderCounters();
    for (const node of document.querySelectorAll("#alerts .alert-age")) node.textContent = ago(node.dataset.at);
  }

  function renderCounters() {
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

  function renderKpis() {
    const k = board.kpis || { unassigned: 0, assigned: 0, carrying: 0, late: 0, coldChainAtRisk: 0, offersAnswered: 0, acceptanceRate: null, etaMaeSeconds: null, etaSamples: 0 };
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
    $("kpi-acceptance").textContent = k.acceptanceRate === null || k.acceptanceRate === undefined
      ? "—" : `${Math.round(k.acceptanceRate * 100)} % of ${k.offersAnswered}`;
    $("kpi-eta").textContent = k.etaMaeSeconds === null || k.etaMaeSeconds === undefined
      ? "—" : `${k.etaMaeSeconds < 120 ? `${Math.round(k.etaMaeSeconds)} s` : `${(k.etaMaeSeconds / 60).toFixed(1)} min`} · ${k.etaSamples} orders`;
  }

  function svgIcon(path) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.append(p);
    return svg;
  }

  // ---- alerts ------------------------------------------------------------------------------------------------

  function renderAlerts() {
    const list = $("alerts");
    const alerts = board.alerts || [];
    list.replaceChildren(...alerts.map((a) => {
      const li = el("li", `alert alert-${a.severity}`);
      li.dataset.key = a.key;
      li.dataset.kind = a.kind;
      const icon = el("span", "alert-icon");
      icon.setAttribute("aria-hidden", "true");
      icon.append(svgIcon(ALERT_ICONS[a.kind] || ALERT_ICONS.late));
      const body = el("div", "alert-body");
      body.append(el("strong", "alert-title", a.title), el("span", "alert-detail", a.detail));
      const age = el("span", "alert-age", ago(a.raisedAt));
      age.dataset.at = a.raisedAt;
      age.title = `Since ${time(a.raisedAt)}`;
      body.append(age);
      const actions = el("div", "alert-actions");
      if (a.orderId || a.courierId) {
        const open = el("button", "btn btn-ghost btn-tiny alert-open", a.orderId ? "Open" : "Courier");
        open.type = "button";
        open.addEventListener("click", () => (a.orderId ? openOrder(a.orderId) : openCourier(a.courierId)));
        actions.append(open);
      }
      const ack = el("button", "btn btn-tiny alert-ack", "Acknowledge");
      ack.type = "button";
      ack.addEventListener("click", () => acknowledge(a.key, ack));
      actions.append(ack);
      li.append(icon, body, actions);
      return li;
    }));
    $("alert-count").textContent = alerts.length;
    $("alert-count").dataset.count = alerts.length;
    $("alerts-empty").hidden = alerts.length > 0;
  }

  async function acknowledge(key, button) {
    button.disabled = true;
    showError("alert-error", "");
    try {
      await api("POST", `/api/zones/${encodeURIComponent(board.zone)}/alerts/acknowledge`, { key });
      // Every board watching the zone drops it with the next frame; this one at once.
      board.alerts = board.alerts.filter((a) => a.key !== key);
      renderAlerts();
    } catch (error) {
      button.disabled = false;
      showError("alert-error", error.message);
    }
  }

  // ---- order list and search ---------------------------------------------------------------------------------

  function orderRank(o, now) {
    const late = Date.parse(o.promisedAt) < now;
    const group = groupOf(o.status);
    return [group === "unassigned" ? 0 : late ? 1 : 2, Date.parse(o.promisedAt)];
  }

  function renderOrders() {
    if (state.searchResults) return; // the list shows search results until cleared
    const now = Date.now();
    const orders = [...board.orders.values()].sort((a, b) => {
      const ra = orderRank(a, now), rb = orderRank(b, now);
      return ra[0] - rb[0] || ra[1] - rb[1];
    });
    $("list-title").textContent = `Open orders (${orders.length})`;
    $("orders").replaceChildren(...orders.slice(0, MAX_LISTED).map((o) => orderItem(o, now)));
    $("orders-empty").hidden = orders.length > 0;
    $("orders-empty").textContent = "No open orders in this zone.";
  }

  function orderItem(o, now) {
    const li = el("li", "order-item");
    li.dataset.orderId = o.orderId || o.id;
    li.dataset.status = o.status;
    if (state.selectedOrder === li.dataset.orderId) li.classList.add("selected");
    const late = o.promisedAt && Date.parse(o.promisedAt) < now && !["delivered", "cancelled", "failed"].includes(o.status);
    const top = el("div", "oi-top");
    const tag = el("span", `status-tag status-${groupOf(o.status)}`, STATUS_LABELS[o.status] || o.status);
    tag.dataset.status = o.status;
    top.append(el("strong", "oi-number", o.number), tag);
    if (o.coldChain || o.kind === "frozen") top.append(el("span", "pill pill-cold", "Frozen"));
    if (o.kind === "hotFood") top.append(el("span", "pill pill-hot", "Hot food"));
    if (late) top.append(el("span", "pill pill-late", "late"));
    const route = el("div", "oi-route", `${o.pickupAddress || "pickup"} → ${o.dropoffAddress || "drop-off"}`);
    const who = o.courierId ? (o.courierName || courierName(o.courierId)) : "no courier";
    const extra = o.customerPhoneMasked ? ` · ${o.customerName || ""} ${o.customerPhoneMasked}` : "";
    const meta = el("div", "oi-meta", `${who} · promised ${shortTime(o.promisedAt)}${extra}`);
    li.append(top, route, meta);
    li.tabIndex = 0;
    li.addEventListener("click", () => openOrder(li.dataset.orderId));
    li.addEventListener("keydown", (e) => { if (e.key === "Enter") openOrder(li.dataset.orderId); });
    return li;
  }

  function renderSearchResults(hits) {
    state.searchResults = hits;
    $("list-title").textContent = `Search results (${hits.length})`;
    $("search-clear").hidden = false;
    const now = Date.now();
    $("orders").replaceChildren(...hits.map((h) => orderItem(h, now)));
    $("orders-empty").hidden = hits.length > 0;
    $("orders-empty").textContent = "No order matches.";
  }

  function clearSearch() {
    state.searchResults = null;
    $("search-clear").hidden = true;
    $("lookup-input").value = "";
    $("search-from").value = "";
    $("search-to").value = "";
    showError("lookup-error", "");
    renderOrders();
  }

  $("search-clear").addEventListener("click", clearSearch);

  $("lookup-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("lookup-input").value.trim();
    const from = $("search-from").value, to = $("search-to").value;
    showError("lookup-error", "");
    if (!text && !from && !to) { showError("lookup-error", "Type an order number, id or customer phone, or pick dates."); return; }
    const button = $("lookup-button");
    button.disabled = true;
    try {
      if (GUID.test(text) && !from && !to) {
        await openOrder(text, { fromSearch: true });
        return;
      }
      const params = new URLSearchParams();
      if (text) {
        const digits = text.replace(/\D/g, "");
        if (ORDER_NO.test(text.replace(/\s/g, "")) && digits.length <= 7) params.set("q", text.replace(/\s/g, ""));
        else if (digits.length >= 6 && /^[+\d\s().-]+$/.test(text)) params.set("phone", text);
        else {
          showError("lookup-error", `“${text}” is neither an order number (D-000042), an order id nor a phone number.`);
          return;
        }
      }
      if (from) params.set("from", from);
      if (to) {
        const end = new Date(`${to}T00:00:00Z`);
        end.setUTCDate(end.getUTCDate() + 1); // the whole last day
        params.set("to", end.toISOString().slice(0, 10));
      }
      params.set("limit", "100");
      const hits = await api("GET", `/api/orders/search?${params}`);
      renderSearchResults(hits);
      if (hits.length === 1 && params.has("q")) await openOrder(hits[0].id);
    } catch (error) {
      showError("lookup-error", error.message || "Search failed.");
    } finally {
      button.disabled = false;
    }
  });

  // ---- the order drawer --------------------------------------------------------------------------------------

  async function openOrder(id, options) {
    state.selectedOrder = id;
    closeCourier();
    for (const li of document.querySelectorAll("#orders li")) li.classList.toggle("selected", li.dataset.orderId === id);
    showError("order-error", "");
    $("order-message").hidden = true;
    try {
      await loadOrder(id);
      $("lookup-result").scrollIntoView({ block: "nearest", behavior: "smooth" });
    } catch (error) {
      if (options && options.fromSearch) {
        showError("lookup-error", error.message);
        closeOrder();
      } else {
        showError("order-error", error.message);
      }
    }
  }

  async function loadOrder(id) {
    const [order, rounds, route] = await Promise.all([
      api("GET", `/api/orders/${encodeURIComponent(id)}`),
      api("GET", `/api/orders/${encodeURIComponent(id)}/dispatch`),
      api("GET", `/api/orders/${encodeURIComponent(id)}/route`),
    ]);
    if (state.selectedOrder !== id) return;
    renderOrder(order, rounds, route);
  }

  function scheduleOrderRefresh() {
    clearTimeout(state.orderRefresh);
    const id = state.selectedOrder;
    state.orderRefresh = setTimeout(() => { if (state.selectedOrder === id) loadOrder(id).catch(() => {}); }, 300);
  }

  function closeOrder() {
    state.selectedOrder = null;
    $("lookup-result").hidden = true;
    if (state.selection) { state.selection.remove(); state.selection = null; }
    for (const li of document.querySelectorAll("#orders li.selected")) li.classList.remove("selected");
  }

  $("drawer-close").addEventListener("click", closeOrder);

  function renderOrder(order, rounds, route) {
    const result = $("lookup-result");
    result.dataset.status = order.status;
    result.dataset.orderId = order.id;
    $("order-number").textContent = order.number;
    $("order-status").textContent = STATUS_LABELS[order.status] || order.status;
    $("order-status").dataset.status = order.status;
    $("order-route").textContent = `${order.pickup.address || "pickup"} → ${order.dropoff.address || "drop-off"}${order.stops ? ` · ${order.stops.length} stop${order.stops.length > 1 ? "s" : ""} on the way` : ""}${order.requiresColdChain ? " · cold chain" : ""}`;
    $("order-customer").textContent = `${order.customerName || "—"} · ${order.customerPhoneMasked || "no phone"}`;
    $("order-courier").textContent = order.courierId && !["placed", ...UNASSIGNED].includes(order.status) ? courierName(order.courierId) : "none yet";
    const late = Date.parse(order.promisedAt) < Date.now() && !["delivered", "cancelled", "failed"].includes(order.status);
    $("order-promised").textContent = `${shortTime(order.promisedAt)}${late ? " · late" : ""}`;
    $("order-promised").classList.toggle("late", late);
    $("order-route-info").textContent = route && route.legs && route.legs.length
      ? `${distanceText(route.legs.reduce((s, l) => s + l.distanceMetres, 0))} · drop-off ETA ${shortTime(route.legs[route.legs.length - 1].etaAt)} (v${route.version})`
      : "not planned";

    // A multi-stop errand's stops, in order, with when each was done.
    const stops = order.stops || [];
    $("order-stops-box").hidden = stops.length === 0;
    $("order-stops-count").textContent = stops.length ? `${stops.filter((x) => x.doneAt).length} of ${stops.length} done` : "";
    $("order-stops").replaceChildren(...stops.map((x) => {
      const li = el("li");
      li.dataset.done = String(Boolean(x.doneAt));
      const text = el("span", "stop-text", `${x.action === "dropoff" ? "Drop off" : "Collect"} · ${x.address}`);
      if (x.note) text.append(el("small", null, x.note));
      li.append(el("span", "stop-num", x.doneAt ? "✓" : String(x.index + 1)), text, el("span", "stop-state", x.doneAt ? time(x.doneAt) : "to do"));
      return li;
    }));

    // Assign: only while the goods are at the pickup; couriers nearest the pickup first.
    const assignable = ASSIGNABLE.includes(order.status);
    $("assign-box").hidden = !assignable;
    if (assignable) {
      $("assign-label").textContent = ASSIGNED.includes(order.status) ? "Reassign to" : "Assign to";
      fillCourierSelect($("assign-courier"), { lat: order.pickup.lat, lon: order.pickup.lon }, ASSIGNED.includes(order.status) ? order.courierId : null, null);
    }
    $("cancel-box").hidden = !CANCELLABLE.includes(order.status);
    $("handover-box").hidden = !CARRYING.includes(order.status);
    $("fail-box").hidden = !CARRYING.includes(order.status);

    $("order-timeline").replaceChildren(...(order.timeline || []).map((t) => {
      const li = el("li");
      li.dataset.status = t.status;
      const actor = el("span", "tl-actor", readable(t.actor));
      actor.title = t.actor;
      li.append(el("span", "tl-time", time(t.at)), el("span", "tl-status", STATUS_LABELS[t.status] || t.status), actor);
      if (t.note) li.append(el("span", "tl-note", readable(t.note)));
      return li;
    }));

    const box = $("explanation");
    if (!rounds.length) {
      box.replaceChildren(el("p", "muted small", "No offer rounds yet."));
    } else {
      box.replaceChildren(...rounds.map((round, i) => renderRound(round, i + 1, rounds.length)));
    }
    result.hidden = false;
    drawSelection(order, route);
  }

  // The selected order on the map: pickup (P), a multi-stop errand's numbered stops, drop-off (D), and its planned route or a
  // dashed straight line through them.
  function drawSelection(order, route) {
    if (state.selection) state.selection.remove();
    const layer = L.layerGroup();
    const pickup = [order.pickup.lat, order.pickup.lon], dropoff = [order.dropoff.lat, order.dropoff.lon];
    const via = (order.stops || []).map((x) => [x.lat, x.lon]);
    if (route && route.path && route.path.length > 1) {
      L.polyline(route.path, { pane: "selection", className: "route-line", weight: 5, opacity: 0.85, interactive: false }).addTo(layer);
    } else {
      L.polyline([pickup, ...via, dropoff], { pane: "selection", className: "route-straight", weight: 2.5, dashArray: "6 6", interactive: false }).addTo(layer);
    }
    (order.stops || []).forEach((x) => {
      L.marker([x.lat, x.lon], { pane: "selection", icon: L.divIcon({ className: "pin pin-stop", html: x.doneAt ? "✓" : String(x.index + 1), iconSize: [22, 22] }), title: `Stop ${x.index + 1}: ${x.address}` }).addTo(layer);
    });
    L.marker(pickup, { pane: "selection", icon: L.divIcon({ className: "pin pin-pickup", html: "P", iconSize: [24, 24] }), title: "Pickup" }).addTo(layer);
    L.marker(dropoff, { pane: "selection", icon: L.divIcon({ className: "pin pin-dropoff", html: "D", iconSize: [24, 24] }), title: "Drop-off" }).addTo(layer);
    layer.addTo(state.map);
    state.selection = layer;
    const bounds = L.latLngBounds([pickup, ...via, dropoff]);
    if (!state.map.getBounds().contains(bounds)) state.map.fitBounds(bounds.pad(0.6), { maxZoom: 16 });
  }

  // Online couriers, nearest to a point first; `exclude` is left out, `firstOption` leads the list.
  function fillCourierSelect(select, near, exclude, firstOption) {
    const options = [];
    if (firstOption) options.push(new Option(firstOption.label, firstOption.value));
    const couriers = [...board.couriers.entries()]
      .filter(([id, c]) => id !== exclude && c.activity !== "offline" && !c.stale)
      .map(([id, c]) => ({ id, c, d: metres(near, c) }))
      .sort((a, b) => a.d - b.d);
    for (const { id, c, d } of couriers) {
      const option = new Option(`${c.name || id.slice(0, 8)} · ${ACTIVITY_LABELS[c.activity] || c.activity} · ${c.activeOrders} order${c.activeOrders === 1 ? "" : "s"} · ${distanceText(d)}`, id);
      options.push(option);
    }
    if (options.length === 0) {
      const none = new Option("No courier online", "");
      none.disabled = true;
      options.push(none);
    }
    select.replaceChildren(...options);
  }

  $("assign-button").addEventListener("click", async () => {
    const id = state.selectedOrder;
    const courierId = $("assign-courier").value;
    showError("order-error", "");
    $("order-message").hidden = true;
    if (!id) return;
    if (!courierId) { showError("order-error", "Pick a courier first."); return; }
    const button = $("assign-button");
    button.disabled = true;
    try {
      const result = await api("POST", `/api/orders/${encodeURIComponent(id)}/assign`, { courierId });
      note("order-message", `${result.number} is now with ${result.courierName}${result.previousCourierId ? ` (was ${courierName(result.previousCourierId)})` : ""}.`);
      await loadOrder(id);
    } catch (error) {
      showError("order-error", error.message);
    } finally {
      button.disabled = false;
    }
  });

  $("cancel-button").addEventListener("click", async () => {
    const id = state.selectedOrder;
    const reason = $("cancel-reason").value.trim();
    showError("order-error", "");
    $("order-message").hidden = true;
    if (!id) return;
    if (!reason) { showError("order-error", "Say why the order is cancelled; the courier and the timeline show it."); $("cancel-reason").focus(); return; }
    const button = $("cancel-button");
    button.disabled = true;
    try {
      await api("POST", `/api/orders/${encodeURIComponent(id)}/cancel`, { reason });
      $("cancel-reason").value = "";
      note("order-message", "Order cancelled; the courier has been told.");
      await loadOrder(id);
    } catch (error) {
      showError("order-error", error.message);
    } finally {
      button.disabled = false;
    }
  });

  // The hand-over at the drop-off: a dispatcher unlocks PIN entry after too many wrong PINs, or lets the courier deliver
  // away from the drop-off; the server refuses what does not apply and records the reason in the timeline.
  async function handOver(path, button, done) {
    const id = state.selectedOrder;
    const reason = $("handover-reason").value.trim();
    showError("order-error", "");
    $("order-message").hidden = true;
    if (!id) return;
    if (!reason) { showError("order-error", "Say why; the reason is recorded in the order's timeline."); $("handover-reason").focus(); return; }
    button.disabled = true;
    try {
      await api("POST", `/api/orders/${encodeURIComponent(id)}/${path}`, { reason });
      $("handover-reason").value = "";
      note("order-message", done);
      await loadOrder(id);
    } catch (error) {
      showError("order-error", error.message);
    } finally {
      button.disabled = false;
    }
  }

  $("unlock-pin-button").addEventListener("click", (e) => handOver("unlock-pin", e.currentTarget, "PIN entry unlocked; the courier can enter the PIN again."));
  $("allow-place-button").addEventListener("click", (e) => handOver("allow-any-place", e.currentTarget, "The courier may now deliver away from the drop-off."));

  // After pickup an order can no longer be cancelled, only marked failed: the courier and the customer are told the reason.
  $("fail-button").addEventListener("click", async () => {
    const id = state.selectedOrder;
    const reason = $("fail-reason").value.trim();
    showError("order-error", "");
    $("order-message").hidden = true;
    if (!id) return;
    if (!reason) { showError("order-error", "Say why the order failed; the courier and the timeline show it."); $("fail-reason").focus(); return; }
    const button = $("fail-button");
    button.disabled = true;
    try {
      await api("POST", `/api/orders/${encodeURIComponent(id)}/fail`, { reason });
      $("fail-reason").value = "";
      note("order-message", "Order marked failed; the courier and the customer have been told.");
      await loadOrder(id);
    } catch (error) {
      showError("order-error", error.message);
    } finally {
      button.disabled = false;
    }
  });

  function note(id, text) {
    const node = $(id);
    node.textContent = text;
    node.hidden = false;
  }

  // ---- the courier card (click a courier) --------------------------------------------------------------------

  function openCourier(id) {
    state.selectedCourier = id;
    showError("courier-error", "");
    $("courier-message").hidden = true;
    renderCourier();
    $("courier-card").hidden = false;
    $("courier-card").scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function closeCourier() {
    state.selectedCourier = null;
    $("courier-card").hidden = true;
  }

  $("courier-close").addEventListener("click", closeCourier);

  function renderCourier() {
    const id = state.selectedCourier;
    if (!id) return;
    const c = board.couriers.get(id);
    const card = $("courier-card");
    card.dataset.courierId = id;
    $("courier-title").textContent = courierName(id);
    $("courier-info").textContent = c
      ? `${c.stale ? "Stale" : ACTIVITY_LABELS[c.activity] || c.activity} · last position ${ago(c.at)} · ${c.activeOrders} active order${c.activeOrders === 1 ? "" : "s"}`
      : "Not on the map any more (offline or silent for a long time).";
    const orders = [...board.orders.values()].filter((o) => o.courierId === id);
    $("courier-orders").replaceChildren(...orders.map((o) => {
      const li = el("li", null);
      li.append(el("strong", null, o.number), document.createTextNode(` · ${STATUS_LABELS[o.status] || o.status} · ${o.dropoffAddress || ""}`));
      li.addEventListener("click", () => openOrder(o.orderId));
      return li;
    }));
    if (!orders.length) $("courier-orders").replaceChildren(el("li", "muted", "No open orders."));
    const movable = orders.filter((o) => ASSIGNED.includes(o.status)).length;
    $("bulk-box").hidden = movable === 0;
    if (movable > 0 && document.activeElement !== $("bulk-target")) {
      fillCourierSelect($("bulk-target"), c || { lat: orders[0].pickupLat, lon: orders[0].pickupLon }, id, { label: "The best courier for each order", value: "" });
    }
  }

  $("bulk-button").addEventListener("click", async () => {
    const id = state.selectedCourier;
    if (!id) return;
    const to = $("bulk-target").value;
    showError("courier-error", "");
    $("courier-message").hidden = true;
    const button = $("bulk-button");
    button.disabled = true;
    try {
      const result = await api("POST", `/api/couriers/${encodeURIComponent(id)}/reassign`, to ? { toCourierId: to } : {});
      const moved = result.moved.map((m) => `${m.number} → ${m.courierName}`);
      const kept = result.kept.map((k) => `${k.number} stays (${k.reason})`);
      note("courier-message", [moved.length ? `Moved ${moved.join(", ")}.` : "Nothing moved.", ...kept].join(" "));
    } catch (error) {
      showError("courier-error", error.message);
    } finally {
      button.disabled = false;
    }
  });

  // ---- connection --------------------------------------------------------------------------------------------

  function setConnection(kind, text) {
    const chip = $("connection");
    chip.dataset.connection = kind;
    chip.lastElementChild.textContent = text;
  }

  function connect() {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(HUB, { accessTokenFactory: () => state.token })
      // An expired token is not retried: the connection closes and onclose says so.
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => DispatchToken.expired(state.token) ? null : Math.min(10000, ctx.previousRetryCount === 0 ? 0 : 1000 * Math.pow(2, ctx.previousRetryCount - 1)) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    state.connection = connection;
    connection.on("Frame", (frame) => { if (state.connection === connection && frame.zone === board.zone) apply(frame); });
    connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
    connection.onreconnected(() => watch(connection).catch(() => {}));
    connection.onclose(() => {
      if (state.connection !== connection) return;
      // The server closes the connection when the token expires: say so instead of reconnecting in a loop.
      if (DispatchToken.expired(state.token)) { signOut("Your session has expired (the token ran out); sign in again."); return; }
      setConnection("reconnecting", "Reconnecting…");
      setTimeout(() => start(connection), 5000);
    });
    start(connection);
  }

  // Watch answers the whole zone; it replaces what the store had (couriers and orders that left are dropped).
  async function watch(connection) {
    const snapshot = await connection.invoke("Watch", board.zone);
    if (state.connection !== connection) return;
    const seen = new Set(snapshot.couriers.map((c) => c.courierId));
    for (const id of [...board.couriers.keys()]) if (!seen.has(id)) removeCourier(id);
    apply(snapshot, true);
    setConnection("live", "Live");
    document.body.dataset.watching = board.zone;
  }

  async function start(connection) {
    if (state.connection !== connection) return;
    try {
      if (!board.zone) {
        board.zone = await loadZones();
        $("zone-name").textContent = `Zone: ${board.zone}`;
      }
      if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
      await watch(connection);
    } catch (error) {
      if (state.connection !== connection) return;
      const text = String((error && error.message) || error);
      if (/403|Forbidden/i.test(text)) {
        const role = roleOf(state.token);
        await signOut(role
          ? `This token is for a ${role}, not a dispatcher: the board needs a dispatcher or admin token.`
          : "This token may not open the board: it needs the dispatcher or admin role.");
        return;
      }
      if (/401|Unauthorized/i.test(text)) {
        await signOut("That token was not accepted (expired or not issued here). Ask for a new dispatcher token.");
        return;
      }
      const hub = serverMessage(error);
      setConnection("reconnecting", hub || "Can't reach the server…");
      if (connection.state === signalR.HubConnectionState.Disconnected) setTimeout(() => start(connection), 3000);
      else if (hub) setTimeout(() => start(connection), 5000);
    }
  }

  // ---- dispatch explanation (in the order drawer) ------------------------------------------------------------

  function renderRound(round, number, total) {
    const section = el("section", "round");
    section.append(el("h4", "round-title", `Round ${number}${total > 1 ? ` of ${total}` : ""} · ${time(round.at)} · radius ${Math.round(round.radiusMetres)} m`));
    section.append(el("p", "rule", round.rule));

    const table = el("table", "candidates");
    const head = el("tr");
    for (const h of ["#", "Courier", "Distance", "To pickup", "Load", "Wait", "Late", "Fair", "Cost", "Drop-off", "Answer"]) head.append(el("th", null, h));
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    for (const c of round.candidates) {
      const tr = el("tr", c.chosen ? "chosen" : "");
      tr.dataset.courierId = c.courierId;
      tr.append(
        el("td", "num", c.rank + 1),
        el("td", "name", c.name || c.courierId.slice(0, 8)),
        el("td", "num", `${Math.round(c.distanceMetres)} m`),
        el("td", "num", `${Math.round(c.secondsToPickup)} s`),
        el("td", "num", `${Math.round(c.loadPenaltySeconds)} s`),
        el("td", "num", `${Math.round(c.readyWaitSeconds || 0)} s`),
        el("td", "num", `${Math.round(c.latenessSeconds || 0)} s`),
        el("td", "num", `${Math.round(c.fairnessSeconds || 0)} s`),
        el("td", "num strong", c.cost),
        el("td", "num", c.dropoffAt ? time(c.dropoffAt) : "—"),
        el("td", "answer", [c.answer || (c.chosen ? "Offered" : ""), c.reason].filter(Boolean).join(": ") || "—"),
      );
      body.append(tr);
    }
    if (!round.candidates.length) {
      const tr = el("tr");
      const td = el("td", "muted", "No eligible courier.");
      td.colSpan = 11;
      tr.append(td);
      body.append(tr);
    }
    table.append(body);
    const scroll = el("div", "table-scroll");
    scroll.append(table);
    section.append(scroll);

    if (round.excluded.length) {
      const list = el("ul", "excluded");
      for (const x of round.excluded) {
        const li = el("li");
        li.append(el("strong", null, x.name || x.courierId.slice(0, 8)), document.createTextNode(` — ${x.reason}`));
        list.append(li);
      }
      section.append(el("p", "sub-title", "Ruled out"), list);
    }
    return section;
  }

  // ---- start -------------------------------------------------------------------------------------------------

  setInterval(recheckStale, STALE_CHECK_MS);
  setInterval(() => { if (!state.searchResults && board.orders.size) renderOrders(); }, 30_000); // "late" badges age too
  renderCounters();
  renderKpis();
  renderAlerts();
  renderOrders();

  const token = DispatchToken.fromFragment() || sessionStorage.getItem(TOKEN_KEY) || "";
  if (token) signIn(token);
})();
