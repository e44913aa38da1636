import * as DispatchToken from "../common/token.js";

// Courier runner page (/runner/): signs in with a courier token, talks to /hubs/courier (JSON protocol), goes online,
// shows offers with a countdown, and walks the current job through arrived → picked up → (each stop of a multi-stop
// errand, "Done" in order) → delivered (with the PIN).
// Positions come from the phone's GPS, or in manual mode from a typed "lat, lon" (or ?lat=&lon= in the link); either
// way the last known position is sent with SendFixes every 2 seconds while online.
(function () {
  "use strict";

  const HUB = "/hubs/courier";
  const TOKEN_KEY = "dispatch.runner.token";
  const FIX_INTERVAL_MS = 2000;
  const STEP_LABELS = {
    accepted: "Go to pickup",
    arrivedAtPickup: "At pickup",
    pickedUp: "Delivering",
    inTransit: "Delivering",
    arrivedAtDropoff: "At drop-off",
  };
  const CARRYING = ["pickedUp", "inTransit", "arrivedAtDropoff"];
  const ACTIVE = ["accepted", "arrivedAtPickup", ...CARRYING];

  const $ = (id) => document.getElementById(id);
  const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

  const state = {
    token: "",
    connection: null,
    online: false,
    wantOnline: false,       // the courier asked to be online; a reconnect goes online again
    shift: null,             // the last GoOnline request
    offer: null,             // the open OfferMessage
    jobs: [],                // ActiveJob[], the first is the current one
    delivered: 0,
    earnings: null,          // EarningsSummary of today
    position: null,          // { lat, lon, accuracy, speed, heading }
    mode: "gps",
    watchId: null,
    lastFixTime: 0,
    fixTimer: null,
    sending: false,
    busy: false,
  };

  // ---- helpers -----------------------------------------------------------------------------------------------

  // The server's HubException text arrives after "HubException: " in the error message.
  function serverMessage(error) {
    const text = String((error && error.message) || error || "");
    const at = text.indexOf("HubException: ");
    return at >= 0 ? text.slice(at + "HubException: ".length) : null;
  }

  function explain(error, fallback) {
    return serverMessage(error) || fallback;
  }

  function showError(id, text) {
    const el = $(id);
    el.textContent = text || "";
    el.hidden = !text;
  }

  let toastTimer = 0;
  function toast(text, kind) {
    const el = $("toast");
    el.textContent = text;
    el.dataset.kind = kind || "info";
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
  }

  function formatDistance(metres) {
    if (!(metres >= 0)) return "";
    return metres < 1000 ? `${Math.round(metres / 10) * 10} m away` : `${(metres / 1000).toFixed(1)} km away`;
  }

  function coords(lat, lon) {
    return `${lat.toFixed(5)},${lon.toFixed(5)}`;
  }

  // ---- token and sign in -------------------------------------------------------------------------------------

  function showName(name) {
    $("courier-name").textContent = name || "Courier";
    $("avatar").textContent = (name || "?").trim().charAt(0).toUpperCase();
  }

  function signIn(token) {
    state.token = token;
    // The token's "name" claim names the courier before the first GoOnline answers.
    showName(DispatchToken.claims(token)?.name || "");
    sessionStorage.setItem(TOKEN_KEY, token);
    showError("signin-error", "");
    $("signin").hidden = true;
    $("app").hidden = false;
    document.body.dataset.state = "app";
    connect();
  }

  async function signOut(message) {
    state.wantOnline = false;
    stopFixes();
    sessionStorage.removeItem(TOKEN_KEY);
    const connection = state.connection;
    state.connection = null;
    if (connection) await connection.stop().catch(() => {});
    state.online = false;
    state.offer = null;
    state.jobs = [];
    $("app").hidden = true;
    $("signin").hidden = false;
    document.body.dataset.state = "signin";
    $("token-input").value = "";
    showError("signin-error", message || "");
    render();
  }

  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) { showError("signin-error", "Paste your courier token first."); return; }
    signIn(token);
  });

  $("demo-button").addEventListener("click", async () => {
    const button = $("demo-button");
    button.disabled = true;
    try {
      const response = await fetch("/dev/fleet", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ count: 1, prefix: "demo" }),
      });
      if (response.status === 404) {
        button.hidden = true;
        showError("signin-error", "Demo couriers are only available on a development server.");
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const fleet = await response.json();
      signIn(fleet[0].token);
    } catch (error) {
      showError("signin-error", `Could not create a demo courier (${error.message}).`);
    } finally {
      button.disabled = false;
    }
  });

  $("signout").addEventListener("click", () => signOut());

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

    connection.on("OfferReceived", (offer) => {
      state.offer = offer;
      $("decline-panel").hidden = true;
      $("offer-actions").hidden = false;
      showError("offer-error", "");
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      render();
    });
    connection.on("OfferWithdrawn", (message) => {
      if (!state.offer || state.offer.offerId !== message.offerId) return;
      state.offer = null;
      toast(`Offer withdrawn: ${message.reason}`, "warn");
      render();
    });
    connection.on("OrderCancelled", (message) => {
      const job = state.jobs.find((j) => j.orderId === message.orderId);
      state.jobs = state.jobs.filter((j) => j.orderId !== message.orderId);
      if (state.offer && state.offer.orderId === message.orderId) state.offer = null;
      toast(`Order ${job ? job.orderNumber : ""} was ${message.failed ? "marked failed by the dispatcher" : "cancelled"}: ${message.reason}`, "warn");
      render();
    });
    // A dispatcher gave this courier an order: it is theirs at once, after the jobs already in hand.
    connection.on("JobAssigned", (message) => {
      const job = message.job;
      if (state.offer && state.offer.orderId === job.orderId) state.offer = null;
      state.jobs = [...state.jobs.filter((j) => j.orderId !== job.orderId), job];
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      toast(`New job ${job.orderNumber} from the dispatcher${message.reason ? `: ${message.reason}` : "."}`, "info");
      render();
    });
    // The customer decided on an over-cap receipt: approved → deliver; rejected → return the extra and send a new receipt.
    connection.on("ReceiptDecided", (change) => {
      const job = state.jobs.find((j) => j.orderId === change.orderId);
      if (!job) return;
      job.buyForMe = change.buyForMe;
      const amount = money(change.buyForMe.receiptCents, change.buyForMe.currency);
      if (change.buyForMe.receipt === "approved") toast(`The customer approved ${amount} for order ${change.orderNumber}`, "success");
      else toast(`The customer rejected ${amount} for order ${change.orderNumber}`, "warn");
      if (navigator.vibrate) navigator.vibrate([120, 80, 120]);
      render();
    });
    // The planned road route of a job (on accept, after a re-route): its length and drive time are shown on the job.
    connection.on("RouteAssigned", (route) => {
      const job = state.jobs.find((j) => j.orderId === route.orderId);
      if (!job || (job.route && job.route.version > route.version)) return;
      job.route = route;
      render();
    });
    // A dispatcher moved one of this courier's orders to someone else: drop it.
    connection.on("OrderReassigned", (message) => {
      state.jobs = state.jobs.filter((j) => j.orderId !== message.orderId);
      toast(`A dispatcher moved order ${message.orderNumber} to another courier${message.reason ? `: ${message.reason}` : "."}`, "warn");
      render();
    });

    connection.onreconnecting(() => setConnection("reconnecting", "Reconnecting…"));
    connection.onreconnected(async () => {
      setConnection("live", "Connected");
      if (state.wantOnline) await goOnline().catch(() => {});
    });
    connection.onclose(() => {
      if (state.connection !== connection) return;
      // The server closes the connection when the token expires: say so instead of reconnecting in a loop.
      if (DispatchToken.expired(state.token)) { signOut("Your token has expired. Ask your dispatcher for a new one and sign in again."); return; }
      state.online = false;
      setConnection("reconnecting", "Reconnecting…");
      render();
      setTimeout(() => start(connection), 5000);
    });
    start(connection);
  }

  async function start(connection) {
    if (state.connection !== connection) return;
    try {
      if (connection.state === signalR.HubConnectionState.Disconnected) await connection.start();
      setConnection("live", "Connected");
      if (state.wantOnline) await goOnline();
    } catch (error) {
      if (state.connection !== connection) return;
      const text = String((error && error.message) || error);
      if (/401|403|Unauthorized|Forbidden/i.test(text)) {
        await signOut("That token was not accepted. Ask your dispatcher for a new one.");
        return;
      }
      setConnection("reconnecting", "Can't reach the server…");
      if (connection.state === signalR.HubConnectionState.Disconnected) setTimeout(() => start(connection), 3000);
    }
  }

  // ---- going online and offline ------------------------------------------------------------------------------

  function selected(name) {
    const input = document.querySelector(`input[name="${name}"]:checked`);
    return input ? input.value : null;
  }

  async function goOnline() {
    const session = await state.connection.invoke("GoOnline", state.shift);
    state.online = true;
    showName(session.name);
    state.jobs = (session.activeJobs || []).filter((j) => ACTIVE.includes(j.status));
    startFixes();
    render();
    refreshEarnings();
  }

  // Today's deliveries and fees come from the server (the fee is fixed on each order at delivery).
  async function refreshEarnings() {
    if (!state.connection || state.connection.state !== signalR.HubConnectionState.Connected) return;
    try {
      const today = await state.connection.invoke("TodaysEarnings");
      state.delivered = today.delivered;
      state.earnings = today;
      render();
    } catch {
      // Not essential: the figures refresh after the next delivery or reconnect.
    }
  }

  // "18:30" → the next 18:30 from now (tomorrow if it has passed), as an ISO instant; empty → no shift end.
  function shiftEnd(value) {
    if (!value) return null;
    const [hours, minutes] = value.split(":").map(Number);
    const end = new Date();
    end.setHours(hours, minutes, 0, 0);
    if (end <= new Date()) end.setDate(end.getDate() + 1);
    return end.toISOString();
  }

  $("go-online").addEventListener("click", async () => {
    if (state.busy) return;
    showError("shift-error", "");
    state.shift = { equipment: selected("equipment"), vehicle: selected("vehicle"), capacity: Number($("capacity").value), shiftEndsAt: shiftEnd($("shift-end").value) };
    state.wantOnline = true;
    await act($("go-online"), async () => {
      try {
        await goOnline();
      } catch (error) {
        state.wantOnline = false;
        showError("shift-error", explain(error, "Could not go online. Check your connection and try again."));
      }
    });
  });

  $("go-offline").addEventListener("click", async () => {
    if (state.jobs.length > 0 && !confirm("You still have a job. Go offline anyway?")) return;
    await act($("go-offline"), async () => {
      try {
        await state.connection.invoke("GoOffline");
        state.wantOnline = false;
        state.online = false;
        state.offer = null;
        stopFixes();
        render();
      } catch (error) {
        toast(explain(error, "Could not go offline."), "error");
      }
    });
  });

  // Runs one courier action with its button disabled, so a double tap does not send it twice.
  async function act(button, work) {
    state.busy = true;
    button.disabled = true;
    button.classList.add("is-busy");
    try {
      await work();
    } finally {
      state.busy = false;
      button.disabled = false;
      button.classList.remove("is-busy");
    }
  }

  // ---- offers ------------------------------------------------------------------------------------------------

  $("accept").addEventListener("click", () => {
    const offer = state.offer;
    if (!offer || state.busy) return;
    act($("accept"), async () => {
      try {
        const result = await state.connection.invoke("AcceptOffer", offer.offerId);
        state.offer = null;
        state.jobs = [result.job, ...state.jobs.filter((j) => j.orderId !== result.job.orderId)];
        showError("job-error", "");
        render();
      } catch (error) {
        state.offer = null;
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
  $("reasons").addEventListener("change", () => { $("decline-confirm").disabled = !selected("reason"); });
  $("decline-confirm").addEventListener("click", () => {
    const offer = state.offer;
    const reason = selected("reason");
    if (!offer || !reason || state.busy) return;
    act($("decline-confirm"), async () => {
      try {
        await state.connection.invoke("DeclineOffer", offer.offerId, reason);
        state.offer = null;
        render();
        toast("Offer declined", "info");
      } catch (error) {
        state.offer = null;
        render();
        toast(explain(error, "Could not decline the offer."), "error");
      }
    });
  });

  function renderCountdown() {
    const offer = state.offer;
    if (!offer) return;
    const total = Math.max(1, (Date.parse(offer.expiresAt) - (offer.receivedAt || Date.now())) / 1000);
    const left = Math.max(0, Math.ceil((Date.parse(offer.expiresAt) - Date.now()) / 1000));
    const el = $("offer-countdown");
    el.dataset.secondsLeft = String(left);
    el.textContent = left >= 60 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : `${left} s`;
    $("offer-bar").style.width = `${Math.min(100, (left / total) * 100)}%`;
    $("offer").classList.toggle("is-urgent", left <= 10);
    if (left === 0) {
      state.offer = null;
      toast("The offer expired", "warn");
      render();
    }
  }

  // ---- the job -----------------------------------------------------------------------------------------------

  function currentJob() {
    return state.jobs[0] || null;
  }

  async function step(button, method, extra) {
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
  function completeStop(button, index) {
    const job = currentJob();
    if (!job || state.busy) return;
    showError("job-error", "");
    act(button, async () => {
      try {
        const done = await state.connection.invoke("CompleteStop", job.orderId, index);
        job.stops = job.stops.map((s) => (s.index === done.stop.index ? done.stop : s));
        toast(done.done === done.total ? `All ${done.total} stops done: deliver to ${job.dropoffAddress}` : `Stop ${done.stop.index + 1} of ${done.total} done`, "success");
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
    if (!pin) { showError("job-error", "Ask the customer for their PIN and type it in."); return; }
    step($("btn-delivered"), "Delivered", [pin]);
  });

  function money(cents, currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "EUR" }).format(cents / 100);
    } catch {
      return `${(cents / 100).toFixed(2)} ${currency || ""}`.trim();
    }
  }

  // "31.20", "31,2" or "31" → 3120; null when it is not an amount.
  function parseCents(text) {
    const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text || "");
    if (!match) return null;
    return Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
  }

  $("receipt-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const job = currentJob();
    if (!job || state.busy) return;
    const cents = parseCents($("receipt-amount").value);
    const photo = $("receipt-photo").value.trim();
    if (cents === null) { showError("job-error", "Type the receipt total as on the receipt, e.g. 23.80."); return; }
    if (!photo) { showError("job-error", "Add the receipt photo's link or reference so the customer can check it."); return; }
    showError("job-error", "");
    act($("btn-receipt"), async () => {
      try {
        const change = await state.connection.invoke("SubmitReceipt", job.orderId, { amountCents: cents, photoRef: photo });
        job.buyForMe = change.buyForMe;
        $("receipt-amount").value = "";
        render();
      } catch (error) {
        showError("job-error", explain(error, "The receipt did not go through. Check your connection and try again."));
      }
    });
  });

  // The buy-for-me part of a job: what to buy, the cap, and where the receipt stands. Returns true when delivery may go ahead.
  function renderErrand(job, carrying) {
    const errand = job.buyForMe;
    const box = $("errand");
    box.hidden = !errand;
    if (!errand) return true;
    const cur = errand.currency;
    box.dataset.receipt = errand.receipt;
    $("errand-cap").textContent = money(errand.priceCapCents, cur);
    $("errand-list").textContent = errand.shoppingList;
    const texts = {
      none: carrying ? "Send the receipt total and a photo of it before you deliver." : "Buy these at the pickup and keep the receipt.",
      awaitingCustomer: `Waiting for the customer's approval of ${money(errand.receiptCents || 0, cur)} (over the cap of ${money(errand.priceCapCents, cur)}).`,
      approved: `Receipt approved: ${money(errand.approvedCents || 0, cur)}. You can deliver.`,
      rejected: `The customer rejected ${money(errand.receiptCents || 0, cur)}. Return what is over ${money(errand.priceCapCents, cur)} and send the new receipt.`,
    };
    $("receipt-state").textContent = texts[errand.receipt] || "";
    $("receipt-form").hidden = !carrying || !(errand.receipt === "none" || errand.receipt === "rejected");
    return errand.receipt === "approved";
  }

  const STOP_ACTIONS = { pickup: "Collect", dropoff: "Drop off" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The stops of a multi-stop errand, in order: done ones ticked, the next one with a big "Done" once the goods are
  // carried. Returns the next open stop (or null when all are done or there are none).
  function renderStops(job, carrying) {
    const stops = job.stops || [];
    const box = $("route-stops");
    box.hidden = stops.length === 0;
    const next = stops.find((s) => !s.doneAt) || null;
    if (stops.length === 0) return null;
    const done = stops.filter((s) => s.doneAt).length;
    $("route-stops-count").textContent = `${done} of ${stops.length} stops done`;
    const list = $("route-stop-list");
    list.replaceChildren(...stops.map((s) => {
      const item = el("li", "route-stop");
      item.dataset.index = String(s.index);
      item.dataset.state = s.doneAt ? "done" : s === next ? "next" : "later";
      item.append(el("span", "route-stop-num", s.doneAt ? "✓" : String(s.index + 1)));
      const text = el("div", "route-stop-text");
      text.append(el("span", "route-stop-action", `Stop ${s.index + 1} · ${STOP_ACTIONS[s.action] || s.action}`), el("span", "route-stop-addr", s.address));
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
    }));
    return next;
  }

  function renderJob(job) {
    const carrying = CARRYING.includes(job.status);
    const card = $("job");
    card.dataset.status = job.status;
    $("job-number").textContent = job.orderNumber;
    $("job-step").textContent = STEP_LABELS[job.status] || job.status;
    const order = ["accepted", "arrivedAtPickup", "pickedUp"];
    const at = carrying ? 2 : order.indexOf(job.status);
    $("job-progress").querySelectorAll("li").forEach((li, i) => {
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
      : carrying ? "Deliver to" : "Pick up at";
    $("target-address").textContent = viaStop ? viaStop.address : carrying ? job.dropoffAddress : job.pickupAddress;
    $("target-sub").textContent = viaStop
      ? `${viaStop.note ? `${viaStop.note} · ` : ""}then ${viaStop.index + 1 < stopCount ? `${stopCount - viaStop.index - 1} more stop${stopCount - viaStop.index - 1 > 1 ? "s" : ""} and ` : ""}${job.dropoffAddress}`
      : carrying
        ? `Customer ${job.customerPhoneMasked}${job.kind === "frozen" ? " · frozen: keep cold" : ""}`
        : `Then ${stopCount > 0 ? `${stopCount} stop${stopCount > 1 ? "s" : ""}, then ` : "to "}${job.dropoffAddress}`;

    // Links only: the page never fetches a route itself.
    const from = state.position ? coords(state.position.lat, state.position.lon) : "";
    $("nav-link").href = `https://www.openstreetmap.org/directions?engine=fossgis_osrm_bike&route=${encodeURIComponent(from)}%3B${encodeURIComponent(coords(lat, lon))}`;
    $("map-link").href = `geo:${coords(lat, lon)}?q=${coords(lat, lon)}`;
    const plan = job.route && job.route.legs && job.route.legs.length ? job.route.legs : null;
    $("route-plan").hidden = !plan;
    if (plan) {
      const km = plan.reduce((sum, leg) => sum + leg.distanceMetres, 0) / 1000;
      const minutes = Math.round(plan.reduce((sum, leg) => sum + leg.durationSeconds, 0) / 60);
      $("route-plan").textContent = `Planned route ${km.toFixed(1)} km, about ${minutes} min on the streets (arrive by ${clock.format(new Date(plan[plan.length - 1].etaAt))})`;
    }

    $("btn-arrived").hidden = job.status !== "accepted";
    $("btn-picked-up").hidden = job.status !== "arrivedAtPickup";
    const receiptDone = renderErrand(job, carrying);
    $("pin-form").hidden = !carrying || !receiptDone || !!nextStop;
    $("stops-left").hidden = !carrying || !nextStop;
    $("stops-left").textContent = nextStop ? `Delivery and the PIN come after the last stop (${stopCount - (job.stops || []).filter((x) => x.doneAt).length} to go).` : "";
    const more = state.jobs.length - 1;
    $("job-more").hidden = more <= 0;
    $("job-more").textContent = more > 0 ? `${more} more order${more > 1 ? "s" : ""} after this one.` : "";
  }

  // ---- position ----------------------------------------------------------------------------------------------

  function parsePosition(text) {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text || "");
    if (!match) return null;
    const lat = Number(match[1]);
    const lon = Number(match[2]);
    return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
  }

  function setPosition(position, source) {
    state.position = position;
    const el = $("position-status");
    el.dataset.fix = source;
    el.dataset.lat = position.lat.toFixed(6);
    el.dataset.lon = position.lon.toFixed(6);
    const accuracy = position.accuracy ? ` · ±${Math.round(position.accuracy)} m` : "";
    el.textContent = `${source === "gps" ? "GPS" : "Manual"} · ${position.lat.toFixed(5)}, ${position.lon.toFixed(5)}${accuracy}`;
    if (state.online) sendFix();
    if (currentJob()) renderJob(currentJob());
  }

  function setMode(mode) {
    state.mode = mode;
    document.querySelector(`input[name="mode"][value="${mode}"]`).checked = true;
    $("manual-form").hidden = mode !== "manual";
    showError("position-error", "");
    if (state.watchId !== null) { navigator.geolocation.clearWatch(state.watchId); state.watchId = null; }
    if (mode === "gps") {
      if (!("geolocation" in navigator)) {
        showError("position-error", "This browser has no location service; use manual mode.");
        return;
      }
      $("position-status").textContent = "Waiting for GPS…";
      state.watchId = navigator.geolocation.watchPosition(
        (p) => setPosition({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy || 10, speed: p.coords.speed || 0, heading: p.coords.heading || 0 }, "gps"),
        (error) => showError("position-error", error.code === 1 ? "Location is blocked for this page. Allow it in the browser, or use manual mode." : "No GPS fix yet. Move into the open, or use manual mode."),
        { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 });
    }
  }

  $("position-mode").addEventListener("change", () => setMode(selected("mode")));
  $("manual-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const position = parsePosition($("manual-position").value);
    if (!position) { showError("position-error", "Type the position as latitude, longitude — e.g. 43.7396, 7.4276."); return; }
    showError("position-error", "");
    setPosition({ ...position, accuracy: 5, speed: 0, heading: 0 }, "manual");
  });

  // Each fix carries a time strictly after the previous one, so a repeated manual position is still fresh.
  async function sendFix() {
    if (!state.online || !state.position || state.sending || !state.connection) return;
    if (state.connection.state !== signalR.HubConnectionState.Connected) return;
    const now = Math.max(Date.now(), state.lastFixTime + 1);
    state.lastFixTime = now;
    const p = state.position;
    state.sending = true;
    try {
      const result = await state.connection.invoke("SendFixes", [{
        time: new Date(now).toISOString(), lat: p.lat, lon: p.lon, accuracy: p.accuracy || 5, speed: p.speed || 0, heading: p.heading || 0,
      }]);
      const el = $("position-status");
      el.dataset.sent = String(result.accepted > 0);
      if (result.rejected && result.rejected.length > 0) showError("position-error", `Position not used: ${result.rejected[0].reason}`);
      else if (state.mode === "manual" || state.watchId !== null) showError("position-error", "");
    } catch {
      // The connection is down; the next tick tries again.
    } finally {
      state.sending = false;
    }
  }

  function startFixes() {
    if (state.fixTimer) return;
    sendFix();
    state.fixTimer = setInterval(sendFix, FIX_INTERVAL_MS);
  }

  function stopFixes() {
    clearInterval(state.fixTimer);
    state.fixTimer = null;
  }

  // ---- render ------------------------------------------------------------------------------------------------

  // An offer's multi-stop errand: its stops between the pickup and the drop-off in the offer's little route.
  function renderOfferStops(offer) {
    const list = $("offer-stops");
    list.querySelectorAll(".stop-via").forEach((li) => li.remove());
    const dropoff = $("offer-dropoff-stop");
    (offer.stops || []).forEach((s) => {
      const item = el("li", "stop stop-via");
      item.append(el("span", "stop-label", `Stop ${s.index + 1} · ${STOP_ACTIONS[s.action] || s.action}`), el("span", "stop-addr", s.address));
      if (s.note) item.append(el("span", "stop-note", s.note));
      list.insertBefore(item, dropoff);
    });
  }

  function render() {
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
      $("offer-number").textContent = offer.orderNumber;
      $("offer-pickup").textContent = offer.pickupAddress;
      $("offer-dropoff").textContent = offer.dropoffAddress;
      $("offer-distance").textContent = formatDistance(offer.distanceToPickupMetres);
      $("offer-promised").textContent = clock.format(new Date(offer.promisedAt));
      $("offer-kind").hidden = offer.kind !== "frozen" && offer.kind !== "hotFood";
      $("offer-kind").textContent = offer.kind === "hotFood" ? "Hot food: keep it warm, never with frozen goods" : "Frozen goods: keep cold";
      renderOfferStops(offer);
      $("offer-errand").hidden = offer.priceCapCents == null;
      $("offer-errand").textContent = offer.priceCapCents == null ? "" : `Buy for me: shop at the pickup, up to ${money(offer.priceCapCents, state.earnings ? state.earnings.currency : "EUR")}`;
      renderCountdown();
    }

    $("job").hidden = !job;
    if (job) renderJob(job);
  }

  // ---- start -------------------------------------------------------------------------------------------------

  const query = new URLSearchParams(location.search);
  const startAt = parsePosition(`${query.get("lat") || ""},${query.get("lon") || ""}`);
  if (startAt) {
    setMode("manual");
    $("manual-position").value = `${startAt.lat}, ${startAt.lon}`;
    setPosition({ ...startAt, accuracy: 5, speed: 0, heading: 0 }, "manual");
  } else {
    setMode(query.get("mode") === "manual" ? "manual" : "gps");
  }

  setInterval(() => { if (state.offer) renderCountdown(); }, 250);
  render();

  const token = DispatchToken.fromFragment() || sessionStorage.getItem(TOKEN_KEY) || "";
  if (token) signIn(token);
})();
