// Customer tracking page for /track/{token}: subscribes on /hubs/tracking (JSON protocol) and shows the courier
// moving, the ETA counting down, and the order's timeline. The token in the path is the only credential.
(function () {
  "use strict";

  const HUB = "/hubs/tracking";
  const ANIMATION_MAX_MS = 2000;        // a marker glides to each new fix over at most this long
  const COARSE_RADIUS_METRES = 300;     // the server's coarse grid before pickup
  const FIT_MAX_ZOOM = 15;              // close enough for the street, far enough to see the neighbourhood

  // The server sends the customer's timeline (CustomerView): steps, times and customer wording only. The page shows
  // the main steps in order; a status pushed live is turned into its step here.
  const STEPS = [
    { key: "placed", label: "Order placed", steps: ["placed"] },
    { key: "paid", label: "Payment confirmed", steps: ["paid"] },
    { key: "finding", label: "Finding a courier", steps: ["findingCourier"], minor: true },
    { key: "accepted", label: "Courier assigned", steps: ["courierAssigned"] },
    { key: "atPickup", label: "Courier at the pickup", steps: ["atPickup"], minor: true },
    { key: "pickedUp", label: "Picked up", steps: ["pickedUp"] },
    { key: "inTransit", label: "On the way", steps: ["onTheWay"], minor: true },
    { key: "arriving", label: "Arriving", steps: ["arriving", "atDropoff"], minor: true },
    { key: "delivered", label: "Delivered", steps: ["delivered"] },
  ];
  const TERMINAL = { cancelled: "Order cancelled", failed: "Delivery failed" };
  const STATUS_STEP = {
    placed: "placed", paid: "paid", dispatching: "findingCourier", offered: "findingCourier", accepted: "courierAssigned",
    arrivedAtPickup: "atPickup", pickedUp: "pickedUp", inTransit: "onTheWay", arrivedAtDropoff: "atDropoff",
    delivered: "delivered", cancelled: "cancelled", failed: "failed",
  };
  const ASSIGNED = ["accepted", "arrivedAtPickup", "pickedUp", "inTransit", "arrivedAtDropoff"];
  const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];

  const $ = (id) => document.getElementById(id);
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const dayClock = new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });

  const state = {
    snapshot: null,
    status: null,
    timeline: [],
    courier: null,            // last CourierPosition
    route: null,              // last RouteMessage (road route), if the server planned one
    routeIndex: 0,            // how far along route.path the courier has come
    etaDeadline: null,        // ms since epoch when the ETA reaches zero
    map: null,
    layers: {},
    fitted: false,
    failed: false,
    buyForMe: null,           // BuyForMeView of a buy-for-me errand, else null
    rating: null,             // RatingView once the customer rated
    stars: 0,                 // stars picked in the rating form
    busy: false,
  };

  // ---- token and settings -------------------------------------------------------------------------------------

  function readToken() {
    const parts = location.pathname.split("/").filter(Boolean);
    return parts.length >= 2 && parts[0] === "track" ? decodeURIComponent(parts[1]) : "";
  }

  function tileSettings() {
    const query = new URLSearchParams(location.search);
    return {
      url: query.get("tiles") || document.body.dataset.tileUrl || "",
      attribution: query.get("tilesAttribution") || document.body.dataset.tileAttribution || "",
    };
  }

  // ---- full-page message (expired / invalid link) ------------------------------------------------------------

  function showMessage(title, text) {
    state.failed = true;
    document.body.dataset.state = "error";
    $("app").hidden = true;
    $("loading").hidden = true;
    if (state.map) { state.map.remove(); state.map = null; }
    $("message-title").textContent = title;
    $("message-text").textContent = text;
    $("message").hidden = false;
  }

  // The server's HubException text arrives after "HubException: " in the error message.
  function serverMessage(error) {
    const text = String((error && error.message) || error || "");
    const at = text.indexOf("HubException: ");
    return at >= 0 ? text.slice(at + "HubException: ".length) : null;
  }

  function showLinkProblem(message) {
    const expired = /expired|revoked/i.test(message);
    showMessage(expired ? "Link expired" : "Link not recognised", message);
  }

  // ---- map ---------------------------------------------------------------------------------------------------

  function icon(kind, glyph) {
    return L.divIcon({
      className: "pin-wrap",
      html: `<div class="pin pin-${kind}"><span>${glyph}</span></div>`,
      iconSize: [36, 44],
      iconAnchor: [18, 42],
    });
  }

  function stopIcon(stop) {
    return L.divIcon({
      className: "pin-wrap",
      html: `<div class="pin pin-stop${stop.doneAt ? " pin-done" : ""}" data-stop="${stop.index}"><span>${stop.doneAt ? "✓" : stop.index + 1}</span></div>`,
      iconSize: [30, 38],
      iconAnchor: [15, 36],
    });
  }

  const COURIER_SVG = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 7c0-1.1-.9-2-2-2h-3v2h3v2.65L13.52 14H10V9H6c-2.21 0-4 1.79-4 4v3h2c0 1.66 1.34 3 3 3s3-1.34 3-3h4.48L19 10.35V7zM7 17c-.55 0-1-.45-1-1h2c0 .55-.45 1-1 1z"/><path d="M5 6h5v2H5zM19 13c-1.66 0-3 1.34-3 3s1.34 3 3 3 3-1.34 3-3-1.34-3-3-3zm0 4c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1z"/></svg>';

  function initMap(snapshot) {
    const map = L.map("map", { zoomControl: false, attributionControl: false, zoomSnap: 0.25 });
    L.control.zoom({ position: "bottomright" }).addTo(map);
    const tiles = tileSettings();
    if (tiles.url) {
      L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution }).addTo(map);
      if (tiles.attribution) L.control.attribution({ prefix: false }).addTo(map);
    } else {
      document.body.classList.add("no-tiles");
    }
    map.createPane("zones").style.zIndex = 250;

    const pickup = [snapshot.pickupLat, snapshot.pickupLon];
    const dropoff = [snapshot.dropoffLat, snapshot.dropoffLon];
    // The view comes first: Leaflet adds layers (and creates their elements) only once the map has one.
    const stops = (snapshot.stops || []).map((x) => [x.lat, x.lon]);
    map.fitBounds(L.latLngBounds([pickup, dropoff, ...stops]), { padding: [48, 48], maxZoom: FIT_MAX_ZOOM });
    state.layers.route = L.polyline([], { className: "route", weight: 4, dashArray: "2 10", lineCap: "round" }).addTo(map);
    state.layers.pickup = L.marker(pickup, { icon: icon("pickup", "A"), title: "Pickup", keyboard: false }).addTo(map);
    state.layers.dropoff = L.marker(dropoff, { icon: icon("dropoff", "B"), title: "Your address", keyboard: false }).addTo(map);
    state.layers.pickup.getElement().dataset.role = "pickup";
    state.layers.dropoff.getElement().dataset.role = "dropoff";
    // A multi-stop errand's stops, numbered in order; a stop done turns into a tick.
    state.layers.stops = (snapshot.stops || []).map((x) => {
      const marker = L.marker([x.lat, x.lon], { icon: stopIcon(x), title: `Stop ${x.index + 1}: ${x.address}`, keyboard: false }).addTo(map);
      marker.getElement().dataset.role = "stop";
      return marker;
    });
    state.map = map;
    loadZones(map);
  }

  // The served zone outlines give a plain map its bearings; a failure here only loses the outline.
  async function loadZones(map) {
    try {
      const response = await fetch("/api/zones", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const zones = await response.json();
      if (!state.map || zones.length === 0) return;
      // Everything outside the delivery area is shaded, so the area's edge shows without map tiles.
      const world = [[-85, -180], [-85, 180], [85, 180], [85, -180]];
      L.polygon([world, ...zones.map((z) => z.boundary)], { pane: "zones", className: "zone-mask", stroke: false, interactive: false }).addTo(map);
      for (const zone of zones) {
        L.polygon(zone.boundary, { pane: "zones", className: "zone", weight: 1.5, fill: false, interactive: false }).addTo(map);
        L.marker([zone.bounds.maxLat, zone.centre.lon], {
          pane: "zones", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "zone-label", html: `<span>${escapeHtml(zone.name)} delivery area</span>`, iconSize: null }),
        }).addTo(map);
      }
    } catch {
      // Offline or blocked: the page works without the outline.
    }
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function ensureCourierMarker(latlng) {
    if (state.layers.courier) return state.layers.courier;
    const marker = L.marker(latlng, {
      icon: L.divIcon({ className: "pin-wrap", html: `<div class="courier-dot"><span class="pulse"></span>${COURIER_SVG}</div>`, iconSize: [44, 44], iconAnchor: [22, 22] }),
      title: "Courier", keyboard: false, zIndexOffset: 1000,
    }).addTo(state.map);
    marker.getElement().id = "courier-marker";
    marker.getElement().dataset.role = "courier";
    state.layers.courier = marker;
    state.layers.approx = L.circle(latlng, { radius: COARSE_RADIUS_METRES, className: "approx-area", interactive: false }).addTo(state.map);
    return marker;
  }

  // Glides the courier marker from where it is drawn to the new fix, so it moves instead of jumping.
  function moveCourier(position) {
    if (!state.map) return;
    const target = L.latLng(position.lat, position.lon);
    const marker = ensureCourierMarker(target);
    const element = marker.getElement();
    element.dataset.lat = position.lat.toFixed(6);
    element.dataset.lon = position.lon.toFixed(6);
    element.dataset.coarse = String(position.coarse);
    element.classList.toggle("is-coarse", position.coarse);

    const from = marker.getLatLng();
    const now = performance.now();
    const duration = Math.min(ANIMATION_MAX_MS, Math.max(300, now - (state.lastFixAt || now - 1000)));
    state.lastFixAt = now;
    cancelAnimationFrame(state.animation);
    const pane = state.map.getPane("markerPane");
    pane.dataset.animating = "1";
    const step = (t) => {
      const k = Math.min(1, (t - now) / duration);
      const e = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2; // ease in-out
      const at = L.latLng(from.lat + (target.lat - from.lat) * e, from.lng + (target.lng - from.lng) * e);
      marker.setLatLng(at);
      state.layers.approx.setLatLng(at);
      drawRoute(at);
      if (k < 1) state.animation = requestAnimationFrame(step);
      else delete pane.dataset.animating;
    };
    state.animation = requestAnimationFrame(step);

    state.layers.approx.setStyle({ opacity: position.coarse ? 1 : 0, fillOpacity: position.coarse ? 0.14 : 0 });
    $("approx").hidden = !position.coarse;

    if (!state.fitted) {
      state.fitted = true;
      const s = state.snapshot;
      state.map.fitBounds(L.latLngBounds([target, [s.pickupLat, s.pickupLon], [s.dropoffLat, s.dropoffLon]]), { padding: [56, 56], maxZoom: FIT_MAX_ZOOM });
    } else if (!state.map.getBounds().pad(-0.05).contains(target)) {
      state.map.panTo(target, { animate: true });
    }
  }

  // After delivery (or cancellation) the courier's whereabouts are none of the customer's business.
  function removeCourier() {
    if (!state.layers.courier) return;
    cancelAnimationFrame(state.animation);
    state.layers.courier.remove();
    state.layers.approx.remove();
    state.layers.courier = null;
    state.layers.approx = null;
  }

  // The planned road route when the server has one (solid); otherwise a dashed
  // straight stand-in: courier → pickup → drop-off before pickup, courier → drop-off after.
  function drawRoute(courierAt) {
    const s = state.snapshot;
    if (!s || !state.layers.route) return;
    const pickup = [s.pickupLat, s.pickupLon];
    const dropoff = [s.dropoffLat, s.dropoffLon];
    // Straight lines go through a multi-stop errand's stops still to do.
    const open = (s.stops || []).filter((x) => !x.doneAt).map((x) => [x.lat, x.lon]);
    const status = state.status;
    const path = state.route && state.route.path.length > 1 ? state.route.path : null;
    let points;
    if (status === "delivered" || status === "cancelled" || status === "failed") points = [];
    // Before pickup the server's route starts at the pickup (the courier's way there is theirs): a line from the
    // approximate position joins it. Once carrying, the route is followed from the courier onwards.
    else if (path && !CARRYING.includes(status)) points = courierAt ? [courierAt, ...path] : path;
    else if (path) points = courierAt ? [courierAt, ...path.slice(nearestAhead(path, courierAt) + 1)] : path;
    else if (!courierAt) points = [pickup, ...open, dropoff];
    else if (CARRYING.includes(status)) points = [courierAt, ...open, dropoff];
    else points = [courierAt, pickup, ...open, dropoff];
    state.layers.route.setLatLngs(points);
    state.layers.route.setStyle({ dashArray: path ? null : "2 10" });
    state.layers.route.getElement()?.classList.toggle("route-planned", Boolean(path));
  }

  // Index of the path point nearest the courier, never behind the last one found (the courier moves forwards).
  function nearestAhead(path, at) {
    const k = Math.cos((at.lat * Math.PI) / 180);
    let best = state.routeIndex, bestD = Infinity;
    for (let i = state.routeIndex; i < path.length; i++) {
      const dy = path[i][0] - at.lat, dx = (path[i][1] - at.lng) * k;
      const d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    state.routeIndex = best;
    return best;
  }

  function applyRoute(route) {
    if (!state.snapshot || !route || route.orderId !== state.snapshot.orderId) return;
    if (state.route && state.route.version > route.version) return;
    state.route = route;
    state.routeIndex = 0;
    drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
  }

  // ---- panel -------------------------------------------------------------------------------------------------

  function headline() {
    const name = state.snapshot.courierName || "Your courier";
    switch (state.status) {
      case "placed": return "We've got your order";
      case "paid": case "dispatching": case "offered": return "Finding a courier for you";
      case "accepted": return `${name} is heading to the pickup`;
      case "arrivedAtPickup": return `${name} is collecting your order`;
      case "pickedUp": case "inTransit": return `${name} is on the way`;
      case "arrivedAtDropoff": return `${name} has arrived`;
      case "delivered": return "Delivered. Enjoy!";
      case "cancelled": return "This order was cancelled";
      case "failed": return "We couldn't complete this delivery";
      default: return "Tracking your delivery";
    }
  }

  function renderPanel() {
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

  // ---- multi-stop errands: the stops on the way, ticked as the courier does them ---------------------------------

  const STOP_ACTIONS = { pickup: "Collect", dropoff: "Drop off" };

  function renderStops() {
    const stops = (state.snapshot && state.snapshot.stops) || [];
    $("stops-card").hidden = stops.length === 0;
    if (stops.length === 0) return;
    const done = stops.filter((x) => x.doneAt).length;
    $("stops-count").textContent = `${done} of ${stops.length} done`;
    $("stop-list").replaceChildren(...stops.map((x) => {
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
    }));
    (state.layers.stops || []).forEach((marker, i) => { if (stops[i]) marker.setIcon(stopIcon(stops[i])); });
  }

  function applyStop(completed) {
    if (!state.snapshot || completed.orderId !== state.snapshot.orderId || !state.snapshot.stops) return;
    state.snapshot.stops = state.snapshot.stops.map((x) => (x.index === completed.stop.index ? completed.stop : x));
    renderStops();
    drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
  }

  // ---- buy for me: the shopping list, the cap and the receipt --------------------------------------------------

  function money(cents, currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "EUR" }).format(cents / 100);
    } catch {
      return `${(cents / 100).toFixed(2)} ${currency || ""}`.trim();
    }
  }

  function renderErrand() {
    const errand = state.buyForMe;
    const card = $("errand-card");
    card.hidden = !errand;
    if (!errand) return;
    const cur = errand.currency;
    card.dataset.receipt = errand.receipt;
    $("errand-cap").textContent = money(errand.priceCapCents, cur);
    $("errand-list").textContent = errand.shoppingList;
    const hasReceipt = errand.receipt !== "none" && errand.receiptCents != null;
    $("receipt").hidden = !hasReceipt;
    if (!hasReceipt) return;
    $("receipt-amount").textContent = money(errand.receiptCents, cur);
    const over = errand.receiptCents - errand.priceCapCents;
    $("receipt-over-wrap").hidden = over <= 0;
    $("receipt-over").textContent = money(Math.max(0, over), cur);
    const photo = errand.receiptPhotoRef || "";
    $("receipt-photo").hidden = !/^https?:\/\//i.test(photo);
    if (/^https?:\/\//i.test(photo)) $("receipt-photo").href = photo;
    const ended = ["delivered", "cancelled", "failed"].includes(state.status);
    const texts = {
      awaitingCustomer: `The shopping came to more than the ${money(errand.priceCapCents, cur)} you allowed. Approve it and the courier brings everything; reject it and they return what is over your cap and send a new receipt.`,
      approved: over <= 0
        ? `Within your cap: approved automatically. You pay back ${money(errand.approvedCents, cur)}.`
        : `You approved ${money(errand.approvedCents, cur)}.`,
      rejected: "You rejected this receipt. The courier returns what is over your cap and sends a new receipt.",
    };
    $("receipt-text").textContent = texts[errand.receipt] || "";
    $("receipt-actions").hidden = errand.receipt !== "awaitingCustomer" || ended;
  }

  async function decideReceipt(approve) {
    if (state.busy || !state.snapshot) return;
    state.busy = true;
    $("receipt-approve").disabled = $("receipt-reject").disabled = true;
    $("errand-error").hidden = true;
    try {
      const change = await connection.invoke("DecideReceipt", token, state.snapshot.orderId, approve);
      applyReceipt(change);
    } catch (error) {
      $("errand-error").textContent = serverMessage(error) || "That did not go through. Check your connection and try again.";
      $("errand-error").hidden = false;
    } finally {
      state.busy = false;
      $("receipt-approve").disabled = $("receipt-reject").disabled = false;
    }
  }

  function applyReceipt(change) {
    if (!state.snapshot || change.orderId !== state.snapshot.orderId) return;
    state.buyForMe = change.buyForMe;
    renderErrand();
  }

  $("receipt-approve").addEventListener("click", () => decideReceipt(true));
  $("receipt-reject").addEventListener("click", () => decideReceipt(false));

  // ---- rating after delivery -----------------------------------------------------------------------------------

  function renderRating() {
    const delivered = state.status === "delivered";
    $("rating-card").hidden = !delivered;
    if (!delivered) return;
    const rated = state.rating;
    $("rating-form").hidden = Boolean(rated);
    $("rating-done").hidden = !rated;
    if (rated) {
      $("rating-done").textContent = `You rated this delivery ${rated.stars} out of 5${rated.comment ? `: “${rated.comment}”` : "."}`;
      $("rating-card").querySelector(".rating-title").textContent = "Thanks for your feedback";
    }
    paintStars(rated ? rated.stars : state.stars);
  }

  function paintStars(n) {
    document.querySelectorAll("#stars .star").forEach((star) => {
      const on = Number(star.dataset.stars) <= n;
      star.classList.toggle("is-on", on);
      star.setAttribute("aria-checked", String(Number(star.dataset.stars) === n));
    });
  }

  $("stars").addEventListener("click", (e) => {
    const star = e.target.closest(".star");
    if (!star) return;
    state.stars = Number(star.dataset.stars);
    $("rating-submit").disabled = false;
    paintStars(state.stars);
  });

  $("rating-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (state.busy || !state.stars || !state.snapshot) return;
    state.busy = true;
    $("rating-submit").disabled = true;
    $("rating-error").hidden = true;
    try {
      const comment = $("rating-comment").value.trim();
      state.rating = await connection.invoke("Rate", token, state.snapshot.orderId, state.stars, comment || null);
      renderRating();
    } catch (error) {
      $("rating-error").textContent = serverMessage(error) || "Your rating did not go through. Try again.";
      $("rating-error").hidden = false;
      $("rating-submit").disabled = false;
    } finally {
      state.busy = false;
    }
  });

  function renderEta() {
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
      const m = Math.floor(left / 60), sec = left % 60;
      eta.innerHTML = m > 0 ? `${m}<small>min</small> ${String(sec).padStart(2, "0")}<small>s</small>` : `${sec}<small>s</small>`;
    }
    setSide("Expected", clock.format(new Date(state.etaDeadline)), `Promised by ${clock.format(promised)}`);
  }

  function setSide(label, time, note) {
    $("eta-side-label").textContent = label;
    $("eta-clock").textContent = time;
    $("promised").textContent = note;
    $("eta-side-label").hidden = !label;
    $("eta-clock").hidden = !time;
    $("promised").hidden = !note;
  }

  function renderTimeline() {
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
        items.push({ label: step.key === "accepted" && state.snapshot.courierName ? `${state.snapshot.courierName} accepted your order` : step.label, at: entry.at, cls: i === lastReached && !terminal ? "current" : "done" });
      } else if (i > lastReached && !step.minor && !terminal) {
        items.push({ label: step.label, at: null, cls: "upcoming" });
      }
    });
    if (terminal) items.push({ label: TERMINAL[terminal.step], at: terminal.at, cls: "current terminal" });

    const list = $("timeline");
    list.replaceChildren(...items.map((item) => {
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
    }));
  }

  function isToday(date) {
    return date.toDateString() === new Date().toDateString();
  }

  // ---- data from the hub -------------------------------------------------------------------------------------

  function applySnapshot(snapshot) {
    const first = !state.snapshot;
    state.snapshot = snapshot;
    state.status = snapshot.status;
    state.timeline = snapshot.timeline.slice();
    state.buyForMe = snapshot.buyForMe || null;
    state.rating = snapshot.rating || null;
    if (snapshot.route) applyRoute(snapshot.route);
    if (first) {
      $("loading").hidden = true;
      $("app").hidden = false;
      document.body.dataset.state = "live";
      initMap(snapshot);
    }
    if (snapshot.courier && ASSIGNED.includes(snapshot.status)) applyPosition(snapshot.courier);
    else if (!ASSIGNED.includes(snapshot.status)) { state.etaDeadline = null; $("approx").hidden = true; removeCourier(); }
    drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
    renderPanel();
  }

  function applyPosition(position) {
    if (!state.snapshot || position.orderId !== state.snapshot.orderId) return;
    state.courier = position;
    state.etaDeadline = Date.now() + position.etaSeconds * 1000;
    $("eta").dataset.etaSeconds = String(position.etaSeconds);
    moveCourier(position);
    renderEta();
  }

  function applyStatus(change) {
    if (!state.snapshot || change.orderId !== state.snapshot.orderId) return;
    state.status = change.status;
    const step = STATUS_STEP[change.status];
    if (step && !state.timeline.some((t) => t.step === step)) state.timeline.push({ step, at: change.at });
    if (!ASSIGNED.includes(change.status)) {
      state.etaDeadline = null;
      $("approx").hidden = true;
      removeCourier();
    }
    drawRoute(state.layers.courier ? state.layers.courier.getLatLng() : null);
    renderPanel();
  }

  // ---- connection --------------------------------------------------------------------------------------------

  const token = readToken();
  if (!token) {
    showMessage("Link not recognised", "The link has no tracking code in it. Check that you copied the whole link.");
    return;
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(HUB)
    // Keep trying for as long as the page is open: 0 s, 1 s, 2 s, 4 s, then every 10 s.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, ctx.previousRetryCount === 0 ? 0 : 1000 * Math.pow(2, ctx.previousRetryCount - 1)) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  connection.on("CourierMoved", applyPosition);
  connection.on("RouteUpdated", applyRoute);
  connection.on("ReceiptChanged", applyReceipt);
  connection.on("StopCompleted", applyStop);
  connection.on("Arriving", (arriving) => {
    if (!state.snapshot || arriving.orderId !== state.snapshot.orderId) return;
    if (!state.timeline.some((t) => t.step === "arriving")) state.timeline.push({ step: "arriving", at: arriving.at });
    renderPanel();
  });
  connection.on("StatusChanged", (change) => {
    applyStatus(change);
    // The snapshot carries what a push does not (courier name and phone on accept, the timeline's wording).
    subscribe().catch(() => { /* the push already updated the page; the next reconnect resyncs */ });
  });

  function setConnection(kind, text) {
    const chip = $("connection");
    chip.dataset.connection = kind;
    chip.lastElementChild.textContent = text;
  }

  async function subscribe() {
    const snapshot = await connection.invoke("Subscribe", token);
    if (!state.failed) applySnapshot(snapshot);
  }

  // Subscribing refuses a bad or expired link for good; anything else is a connection problem worth retrying.
  async function subscribeOrExplain() {
    try {
      await subscribe();
      setConnection("live", "Live");
    } catch (error) {
      const message = serverMessage(error);
      if (message && /tracking link/i.test(message)) {
        state.failed = true;
        await connection.stop();
        showLinkProblem(message);
        return;
      }
      throw error;
    }
  }

  let attempt = 0;
  async function start() {
    try {
      if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
      await subscribeOrExplain();
      attempt = 0;
    } catch (error) {
      if (state.failed) return;
      console.warn("Tracking connection failed; retrying.", error);
      setConnection("reconnecting", "Reconnecting…");
      if (!state.snapshot) $("loading").lastElementChild.textContent = "Can't reach the server. Retrying…";
      attempt++;
      // While the client reconnects by itself, onreconnected resubscribes; otherwise try again here.
      if (connection.state !== signalR.HubConnectionState.Reconnecting) setTimeout(start, Math.min(10000, 1000 * attempt));
    }
  }

  connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
  connection.onreconnected(() => start());
  connection.onclose(() => { if (!state.failed) { setConnection("reconnecting", "Reconnecting…"); setTimeout(start, 5000); } });

  setInterval(() => { if (state.snapshot) renderEta(); }, 1000);
  start();
})();
