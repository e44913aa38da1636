// Dispatcher's control-room board (/board/): signs in with a dispatcher or admin token, watches one zone on
// /hubs/control (JSON protocol) and draws every courier as a small canvas circle coloured by activity. Frames carry
// only the couriers that moved; markers are updated in place, never rebuilt. An order lookup shows an order's status,
// timeline and the dispatch explanation (GET /api/orders/{id} and /api/orders/{id}/dispatch).
(function () {
  "use strict";

  const HUB = "/hubs/control";
  const TOKEN_KEY = "dispatch.board.token";
  const STALE_MS = 90_000;
  const STALE_CHECK_MS = 3000;
  const COLOURS = { idle: "#16a34a", toPickup: "#d97706", carrying: "#0e7490", offline: "#94a3b8", stale: "#94a3b8" };
  const ACTIVITY_LABELS = { idle: "Idle", toPickup: "To pickup", carrying: "Carrying", offline: "Offline" };
  const STATUS_LABELS = {
    placed: "Placed", paid: "Paid", dispatching: "Dispatching", offered: "Finding a courier", accepted: "Accepted", arrivedAtPickup: "At pickup",
    pickedUp: "Picked up", inTransit: "In transit", arrivedAtDropoff: "At drop-off", delivered: "Delivered",
    cancelled: "Cancelled", failed: "Failed", unassigned: "Unassigned",
  };
  const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

  const $ = (id) => document.getElementById(id);
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

  // The page's courier store, exposed for tests and the console: courierId → { lat, lon, at, activity, activeOrders, stale }.
  const board = { couriers: new Map(), zone: null, frames: 0 };
  window.board = board;

  const state = { token: "", connection: null, map: null, renderer: null, zones: [], markers: new Map() };

  // ---- helpers -----------------------------------------------------------------------------------------------

  function serverMessage(error) {
    const text = String((error && error.message) || error || "");
    const at = text.indexOf("HubException: ");
    return at >= 0 ? text.slice(at + "HubException: ".length) : null;
  }

  function showError(id, text) {
    const el = $(id);
    el.textContent = text || "";
    el.hidden = !text;
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
    clearCouriers();
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
    map.setView([43.7384, 7.4246], 14); // until the zones arrive
    state.renderer = L.canvas({ padding: 0.3 });
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

  function tooltip(id, c) {
    const label = c.stale ? "Stale" : ACTIVITY_LABELS[c.activity] || c.activity;
    return `${id.slice(0, 8)} · ${label} · ${c.activeOrders} order${c.activeOrders === 1 ? "" : "s"} · ${time(c.at)}`;
  }

  // Adds or moves one courier; its marker is created once and then only moved or recoloured.
  function upsert(bc, now) {
    const id = bc.courierId;
    let c = board.couriers.get(id);
    if (!c) {
      c = { lat: bc.lat, lon: bc.lon, at: bc.at, activity: bc.activity, activeOrders: bc.activeOrders, stale: false };
      c.stale = isStale(c, now);
      board.couriers.set(id, c);
      const marker = L.circleMarker([c.lat, c.lon], {
        renderer: state.renderer, radius: 5, weight: 1.5, color: "#ffffff", fillColor: colourOf(c), fillOpacity: 0.95,
      }).addTo(state.map);
      marker.bindTooltip(() => tooltip(id, board.couriers.get(id)), { direction: "top", offset: [0, -4] });
      state.markers.set(id, marker);
      return;
    }
    const before = colourOf(c);
    const moved = c.lat !== bc.lat || c.lon !== bc.lon;
    c.lat = bc.lat; c.lon = bc.lon; c.at = bc.at; c.activity = bc.activity; c.activeOrders = bc.activeOrders;
    c.stale = isStale(c, now);
    const marker = state.markers.get(id);
    if (moved) marker.setLatLng([c.lat, c.lon]);
    const after = colourOf(c);
    if (after !== before) marker.setStyle({ fillColor: after });
  }

  function apply(frame) {
    const now = Date.now();
    for (const bc of frame.couriers || []) upsert(bc, now);
    board.frames++;
    board.lastFrameAt = frame.at;
    $("frame-info").textContent = `Last update ${time(frame.at)} · ${frame.couriers.length} moved`;
    renderCounters();
  }

  function clearCouriers() {
    for (const marker of state.markers.values()) marker.remove();
    state.markers.clear();
    board.couriers.clear();
    renderCounters();
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

  // ---- connection --------------------------------------------------------------------------------------------

  function setConnection(kind, text) {
    const chip = $("connection");
    chip.dataset.connection = kind;
    chip.lastElementChild.textContent = text;
  }

  function connect() {
    const connection = new signalR.HubConnectionBuilder()
      .withUrl(HUB, { accessTokenFactory: () => state.token })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, ctx.previousRetryCount === 0 ? 0 : 1000 * Math.pow(2, ctx.previousRetryCount - 1)) })
      .configureLogging(signalR.LogLevel.None)
      .build();
    state.connection = connection;
    connection.on("Frame", (frame) => { if (state.connection === connection && frame.zone === board.zone) apply(frame); });
    connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
    connection.onreconnected(() => watch(connection).catch(() => {}));
    connection.onclose(() => {
      if (state.connection !== connection) return;
      setConnection("reconnecting", "Reconnecting…");
      setTimeout(() => start(connection), 5000);
    });
    start(connection);
  }

  // Watch answers the whole zone; it replaces what the store had (couriers that left are dropped).
  async function watch(connection) {
    const snapshot = await connection.invoke("Watch", board.zone);
    if (state.connection !== connection) return;
    const seen = new Set(snapshot.couriers.map((c) => c.courierId));
    for (const id of [...board.couriers.keys()]) {
      if (seen.has(id)) continue;
      state.markers.get(id).remove();
      state.markers.delete(id);
      board.couriers.delete(id);
    }
    apply(snapshot);
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

  // ---- order lookup ------------------------------------------------------------------------------------------

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: "application/json", Authorization: `Bearer ${state.token}` } });
    if (response.status === 404) throw new Error("No order with that id.");
    if (response.status === 401 || response.status === 403) throw new Error("Your token may not read orders.");
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    return response.json();
  }

  $("lookup-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = $("lookup-input").value.trim();
    showError("lookup-error", "");
    if (!GUID.test(id)) { showError("lookup-error", "Type the order's id (a GUID)."); return; }
    const button = $("lookup-button");
    button.disabled = true;
    try {
      const [order, rounds] = await Promise.all([
        getJson(`/api/orders/${encodeURIComponent(id)}`),
        getJson(`/api/orders/${encodeURIComponent(id)}/dispatch`),
      ]);
      renderOrder(order, rounds);
    } catch (error) {
      $("lookup-result").hidden = true;
      showError("lookup-error", error.message || "Lookup failed.");
    } finally {
      button.disabled = false;
    }
  });

  function renderOrder(order, rounds) {
    const result = $("lookup-result");
    result.dataset.status = order.status;
    result.dataset.orderId = order.id;
    $("order-number").textContent = order.number;
    $("order-status").textContent = STATUS_LABELS[order.status] || order.status;
    $("order-status").dataset.status = order.status;
    $("order-route").textContent = `${order.pickup.address || "pickup"} → ${order.dropoff.address || "drop-off"} · promised ${time(order.promisedAt)}`;

    $("order-timeline").replaceChildren(...(order.timeline || []).map((t) => {
      const li = el("li");
      li.dataset.status = t.status;
      const actor = el("span", "tl-actor", t.actor);
      actor.title = t.actor;
      li.append(el("span", "tl-time", time(t.at)), el("span", "tl-status", STATUS_LABELS[t.status] || t.status), actor);
      if (t.note) li.append(el("span", "tl-note", t.note));
      return li;
    }));

    const box = $("explanation");
    if (!rounds.length) {
      box.replaceChildren(el("p", "muted small", "No offer rounds yet."));
    } else {
      box.replaceChildren(...rounds.map((round, i) => renderRound(round, i + 1, rounds.length)));
    }
    result.hidden = false;
  }

  function renderRound(round, number, total) {
    const section = el("section", "round");
    section.append(el("h4", "round-title", `Round ${number}${total > 1 ? ` of ${total}` : ""} · ${time(round.at)} · radius ${Math.round(round.radiusMetres)} m`));
    section.append(el("p", "rule", round.rule));

    const table = el("table", "candidates");
    const head = el("tr");
    for (const h of ["#", "Courier", "Distance", "To pickup", "Load", "Cost", "Answer"]) head.append(el("th", null, h));
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
        el("td", "num strong", c.cost),
        el("td", "answer", [c.answer || (c.chosen ? "Offered" : ""), c.reason].filter(Boolean).join(": ") || "—"),
      );
      body.append(tr);
    }
    if (!round.candidates.length) {
      const tr = el("tr");
      const td = el("td", "muted", "No eligible courier.");
      td.colSpan = 7;
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
  renderCounters();

  const token = DispatchToken.fromFragment() || sessionStorage.getItem(TOKEN_KEY) || "";
  if (token) signIn(token);
})();
