// Live-web benchmark driver for infra/bench-web.sh: Debian's /usr/bin/chromium driven headless by playwright-core
// (no browser download). Two modes, each ending with one `RESULT {json}` line the shell script reads:
//
//   node web/bench-web.mjs board   --server URL [--couriers N] [--seconds S] [--label L] [--trace FILE [--trace-seconds T]]
//       Opens /board/ as a dispatcher (token in the URL fragment), waits until the board holds N couriers, then for S
//       seconds counts animation frames (requestAnimationFrame), long tasks, board frames received, and samples the JS
//       heap and main-thread time over CDP (Performance.getMetrics); with --trace, then records a Chromium trace of T
//       seconds and prints where the main thread's time went.
//
//   node web/bench-web.mjs latency --server URL [--fixes N] [--interval MS] [--label L]
//       Drives one courier itself over /hubs/courier (JSON): an order is created, paid (signed callback, secret from
//       $Payments__CallbackSecret), assigned to that courier by a dispatcher, picked up; its tracking page is opened;
//       then N exact fixes are sent one every MS ms. Per fix: send time (this process) → the page's first sight of it
//       (data-lat/lon set by track/courier.js) → the marker's first move towards it → the marker standing on it.
//       Both clocks are performance.timeOrigin + performance.now() on this machine.
import { createRequire } from "node:module";
import { createHmac, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const signalR = require("@microsoft/signalr");

const CHROMIUM = process.env.DISPATCH_CHROMIUM || "/usr/bin/chromium";
const LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--enable-precise-memory-info", "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"];

const [mode, ...rest] = process.argv.slice(2);
const opts = {};
for (let i = 0; i < rest.length; i += 2) {
  if (!rest[i].startsWith("--") || rest[i + 1] === undefined) fail(`bad argument '${rest[i]}'; options are --name value pairs`);
  opts[rest[i].slice(2)] = rest[i + 1];
}
const server = (opts.server || "").replace(/\/$/, "");
const label = opts.label || mode;
if (!server) fail("--server URL is required");

const wall = () => performance.timeOrigin + performance.now(); // ms since the epoch, sub-millisecond
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (text) => console.log(`[bench-web:${label}] ${text}`);

function fail(message) {
  console.error(`[bench-web] error: ${message}`);
  process.exit(1);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

function stats(values) {
  const s = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  const r = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return { n: s.length, p50: r(percentile(s, 0.5)), p90: r(percentile(s, 0.9)), p99: r(percentile(s, 0.99)), max: r(s.length ? s[s.length - 1] : null) };
}

async function http(method, path, { token, body, headers = {}, raw } = {}) {
  const h = { Accept: "application/json", ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) { payload = raw; h["Content-Type"] = "application/json"; }
  else if (body !== undefined) { payload = JSON.stringify(body); h["Content-Type"] = "application/json"; }
  const response = await fetch(server + path, { method, headers: h, body: payload });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const devToken = async (role, subject) => (await http("POST", "/dev/token", { body: { role, subject } })).token;

async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
}

// ---- board ---------------------------------------------------------------------------------------------------

async function board() {
  const expect = Number(opts.couriers || 0);
  const seconds = Number(opts.seconds || 20);
  const token = await devToken("dispatcher", "webbench-dispatcher");
  const browser = await launch();
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB", timezoneId: "Europe/Monaco" });
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.addInitScript(() => {
      // Long tasks (> 50 ms on the main thread) from the page's start; the measurement window reads the difference.
      window.__bench = { longTasks: 0, longTaskMs: 0 };
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) { window.__bench.longTasks++; window.__bench.longTaskMs += e.duration; }
        }).observe({ type: "longtask", buffered: true });
      } catch { /* not supported: reported as null */ }
    });
    await page.goto(`${server}/board/#token=${encodeURIComponent(token)}`);
    await page.waitForFunction(() => document.body.dataset.state === "app" && document.getElementById("connection").dataset.connection === "live", null, { timeout: 60_000 });
    const wantAtLeast = Math.floor(expect * 0.95);
    const waitStarted = Date.now();
    for (;;) {
      const n = await page.evaluate(() => window.board.couriers.size);
      if (n >= wantAtLeast) { log(`board shows ${n} couriers (waiting for ≥ ${wantAtLeast})`); break; }
      if (Date.now() - waitStarted > 240_000) throw new Error(`the board shows only ${n} couriers after 240 s (expected ≥ ${wantAtLeast}); see the fleet's log`);
      log(`board shows ${n} couriers, waiting for ≥ ${wantAtLeast} …`);
      await sleep(5000);
    }
    await sleep(3000); // settle: first full frames drawn, JIT warm

    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const metrics = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
    const before = await metrics();
    const heap = [before.JSHeapUsedSize];
    const startState = await page.evaluate(() => ({ frames: window.board.frames, longTasks: window.__bench.longTasks, longTaskMs: window.__bench.longTaskMs }));
    // Frame pacing: every requestAnimationFrame callback's timestamp, for S seconds.
    const framesPromise = page.evaluate((ms) => new Promise((resolve) => {
      const stamps = [];
      const end = performance.now() + ms;
      const tick = (t) => { stamps.push(t); if (t < end) requestAnimationFrame(tick); else resolve(stamps); };
      requestAnimationFrame(tick);
    }), seconds * 1000);
    const sampler = (async () => {
      for (let i = 0; i < seconds; i += 2) { await sleep(2000); heap.push((await metrics()).JSHeapUsedSize); }
    })();
    const stamps = await framesPromise;
    await sampler;
    const after = await metrics();
    const endState = await page.evaluate(() => ({
      frames: window.board.frames, longTasks: window.__bench.longTasks, longTaskMs: window.__bench.longTaskMs,
      couriers: window.board.couriers.size, memory: performance.memory ? performance.memory.usedJSHeapSize : null,
      online: Number(document.getElementById("counters").dataset.couriers || 0),
    }));
    heap.push(after.JSHeapUsedSize);
    const trace = opts.trace ? await traceSummary(browser, page, opts.trace, Number(opts["trace-seconds"] || 5)) : null;

    const span = (stamps[stamps.length - 1] - stamps[0]) / 1000;
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]);
    const wallSeconds = after.Timestamp - before.Timestamp;
    const per = (key) => Math.round(((after[key] - before[key]) / wallSeconds) * 1000) / 1000; // seconds busy per second
    const result = {
      mode: "board", label, couriersOnBoard: endState.couriers, couriersOnline: endState.online, seconds: Math.round(span * 10) / 10,
      fps: Math.round(((stamps.length - 1) / span) * 10) / 10,
      frameMs: stats(gaps),
      framesOver50ms: gaps.filter((g) => g > 50).length,
      longTasks: endState.longTasks - startState.longTasks,
      longTaskMsPerSecond: Math.round((endState.longTaskMs - startState.longTaskMs) / wallSeconds),
      boardFramesPerSecond: Math.round(((endState.frames - startState.frames) / wallSeconds) * 100) / 100,
      heapMiB: { start: mib(heap[0]), end: mib(heap[heap.length - 1]), max: mib(Math.max(...heap)) },
      performanceMemoryMiB: endState.memory === null ? null : mib(endState.memory),
      domNodes: after.Nodes,
      mainThreadBusyPerSecond: { task: per("TaskDuration"), script: per("ScriptDuration"), layout: per("LayoutDuration"), style: per("RecalcStyleDuration") },
      // CPU actually granted: the main thread's and the whole renderer process's, seconds per second of wall time.
      cpuPerSecond: { mainThread: per("ThreadTime"), rendererProcess: per("ProcessTime") },
      trace,
      pageErrors: errors.length,
    };
    if (errors.length) log(`page errors: ${errors.slice(0, 3).join(" | ")}`);
    log(`${result.fps} fps (frame p50 ${result.frameMs.p50} ms, p99 ${result.frameMs.p99} ms, max ${result.frameMs.max} ms), `
      + `${result.boardFramesPerSecond} board frames/s, heap ${result.heapMiB.end} MiB (max ${result.heapMiB.max}), `
      + `main thread busy ${result.mainThreadBusyPerSecond.task} s/s (script ${result.mainThreadBusyPerSecond.script})`);
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await browser.close();
  }
}

// A Chromium trace of a few seconds (written to FILE), summarised: the renderer main thread's self time by event name and
// each renderer thread's busy time, milliseconds per second. Says where a slow frame goes (script, GC, paint, raster…).
async function traceSummary(browser, page, file, seconds) {
  const categories = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute",
    "disabled-by-default-v8.gc", "blink", "cc", "disabled-by-default-devtools.timeline.frame"];
  await browser.startTracing(page, { path: file, categories });
  await sleep(seconds * 1000);
  const events = JSON.parse((await browser.stopTracing()).toString("utf8")).traceEvents;
  const names = new Map(); // "pid:tid" → thread name
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== "X" || typeof e.dur !== "number") continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const selfTimes = (list) => {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = new Map();
    const stack = [];
    let top = 0;
    for (const e of list) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
      if (stack.length) { const parent = stack[stack.length - 1]; self.set(parent.name, (self.get(parent.name) || 0) - e.dur); } else top += e.dur;
      self.set(e.name, (self.get(e.name) || 0) + e.dur);
      stack.push(e);
    }
    return { self, top };
  };
  const perSecond = (us) => Math.round(us / 1000 / seconds);
  const threads = [];
  let main = null;
  for (const [key, list] of byThread) {
    const name = names.get(key) || key;
    if (!/^(CrRendererMain|Compositor|CompositorTileWorker|ThreadPool|VizCompositorThread|CrGpuMain)/.test(name)) continue;
    const { self, top } = selfTimes(list);
    threads.push({ thread: name, busyMsPerSecond: perSecond(top) });
    if (name === "CrRendererMain" && (!main || top > main.top)) main = { self, top };
  }
  threads.sort((a, b) => b.busyMsPerSecond - a.busyMsPerSecond);
  const mainSelf = main ? [...main.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, us]) => ({ name, msPerSecond: perSecond(us) })) : [];
  log(`trace (${seconds} s, ${file}): main thread self time, ms/s: ${mainSelf.map((e) => `${e.name} ${e.msPerSecond}`).join(", ")}`);
  log(`trace: busy threads, ms/s: ${threads.slice(0, 6).map((t) => `${t.thread} ${t.busyMsPerSecond}`).join(", ")}`);
  return { seconds, mainThreadSelfMsPerSecond: mainSelf, threads: threads.slice(0, 8) };
}

function mib(bytes) {
  return Math.round((bytes / 1048576) * 10) / 10;
}

// ---- latency -------------------------------------------------------------------------------------------------

// Runs in the tracking page before its scripts: records when each position first shows (track/courier.js writes
// data-lat/data-lon on the courier marker when a push arrives) and when the Leaflet marker first moves towards it
// and reaches it (Marker.setLatLng, called by the page's glide on each animation frame).
function trackingProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const seen = new Map(); // "lat,lon" (6 decimals) → { arrivedAt, movedAt, reachedAt }
  let current = null;
  window.__probe = { seen, dump: () => [...seen.entries()].map(([key, v]) => ({ key, ...v })) };
  new MutationObserver(() => {
    const el = document.getElementById("courier-marker");
    if (!el || !el.dataset.lat || !el.dataset.lon) return;
    const key = `${el.dataset.lat},${el.dataset.lon}`;
    if (seen.has(key)) return;
    current = { key, lat: +el.dataset.lat, lon: +el.dataset.lon, arrivedAt: now(), movedAt: null, reachedAt: null };
    seen.set(key, current);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-lon"] });
  document.addEventListener("DOMContentLoaded", () => {
    const original = L.Marker.prototype.setLatLng;
    L.Marker.prototype.setLatLng = function (latlng) {
      const before = this._latlng;
      const result = original.apply(this, arguments);
      const el = this._icon;
      if (current && el && el.id === "courier-marker") {
        const at = this._latlng;
        const t = now();
        if (!current.movedAt && before && (at.lat !== before.lat || at.lng !== before.lng)) current.movedAt = t;
        if (!current.reachedAt && Math.abs(at.lat - current.lat) < 5e-7 && Math.abs(at.lng - current.lon) < 5e-7) {
          current.reachedAt = t;
          if (!current.movedAt) current.movedAt = t;
        }
      }
      return result;
    };
  });
}

async function latency() {
  const fixes = Number(opts.fixes || 100);
  const interval = Number(opts.interval || 1000);
  const secret = process.env.Payments__CallbackSecret;
  if (!secret) fail("Payments__CallbackSecret is not set (the payment callback must be signed)");

  const zones = await http("GET", "/api/zones");
  const zone = zones[0];
  // A pickup near the zone's centre; the drive is a circle of 120 m radius beside it, every point distinct.
  const pickup = { lat: round6(zone.centre.lat), lon: round6(zone.centre.lon) };
  const dropoff = { lat: round6(zone.centre.lat - 0.006), lon: round6(zone.centre.lon - 0.006) };
  const [probe] = await http("POST", "/dev/fleet", { body: { count: 1, prefix: `probe-${Date.now().toString(36)}` } });
  const merchant = await devToken("merchant", "webbench-merchant");
  const dispatcher = await devToken("dispatcher", "webbench-dispatcher");

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${server}/hubs/courier`, { accessTokenFactory: () => probe.token })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on("OfferReceived", () => {});
  connection.on("OfferWithdrawn", () => {});
  connection.on("JobAssigned", () => {});
  connection.on("OrderReassigned", () => {});
  connection.on("OrderCancelled", () => {});
  await connection.start();
  await connection.invoke("GoOnline", { equipment: "insulatedBox", vehicle: "scooter", capacity: 3 });
  let lastFixTime = Date.now() - 60_000;
  const sendFix = async (p) => {
    lastFixTime = Math.max(Date.now(), lastFixTime + 1);
    return connection.invoke("SendFixes", [{ time: new Date(lastFixTime).toISOString(), lat: p.lat, lon: p.lon, accuracy: 5, speed: 6, heading: 0 }]);
  };
  const browser = await launch();
  const errors = [];
  try {
    const first = await sendFix(pickup);
    if (first.accepted !== 1) throw new Error(`the probe courier's first fix was rejected: ${JSON.stringify(first.rejected)}`);

    const order = await http("POST", "/api/orders", {
      token: merchant, headers: { "Idempotency-Key": randomUUID() },
      body: {
        kind: "errand", pickup: { ...pickup, address: "Bench pickup" }, dropoff: { ...dropoff, address: "Bench drop-off" },
        customerName: "Bench Customer", customerPhone: "+377 6 12 34 56 78", items: ["1 x parcel"],
        promisedAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    const payment = JSON.stringify({ orderId: order.id, status: "paid", amount: 12.5 });
    await http("POST", "/api/payments/callback", {
      raw: payment, headers: { "X-Dispatch-Signature": `sha256=${createHmac("sha256", secret).update(payment).digest("hex")}` },
    });
    // The dispatcher gives the order to the probe courier, whatever the dispatch loop offered meanwhile.
    for (let attempt = 1; ; attempt++) {
      try {
        await http("POST", `/api/orders/${order.id}/assign`, { token: dispatcher, body: { courierId: probe.courierId, reason: "web benchmark probe" } });
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        await sleep(500);
      }
    }
    await connection.invoke("ArrivedAtPickup", order.id);
    await connection.invoke("PickedUp", order.id);
    log(`order ${order.number} picked up by the probe courier; opening ${order.trackingUrl}`);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-GB", timezoneId: "Europe/Monaco" });
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.addInitScript(trackingProbe);
    await page.goto(server + order.trackingUrl);
    await page.waitForFunction(() => document.body.dataset.state === "live" && document.getElementById("connection").dataset.connection === "live", null, { timeout: 60_000 });
    await page.waitForSelector("#courier-marker[data-coarse=false]", { timeout: 30_000 });
    await sleep(2500); // the first glide and the initial fit are done

    const centre = { lat: pickup.lat + 0.0011, lon: pickup.lon };
    const radiusLat = 120 / 111_320, radiusLon = 120 / (111_320 * Math.cos((centre.lat * Math.PI) / 180));
    const sent = [];
    const started = wall();
    log(`sending ${fixes} fixes, one every ${interval} ms …`);
    for (let i = 0; i < fixes; i++) {
      const due = started + i * interval;
      const wait = due - wall();
      if (wait > 0) await sleep(wait);
      const a = (2 * Math.PI * i) / Math.max(fixes, 60);
      const p = { lat: round6(centre.lat + radiusLat * Math.sin(a)), lon: round6(centre.lon - radiusLon * Math.cos(a)) };
      const sentAt = wall();
      const result = await sendFix(p);
      sent.push({ key: `${p.lat.toFixed(6)},${p.lon.toFixed(6)}`, sentAt, ackedAt: wall(), accepted: result.accepted === 1 });
      if ((i + 1) % 25 === 0) log(`  ${i + 1}/${fixes} sent`);
    }
    await sleep(Math.max(3000, interval + 2500)); // the last push (held back by the rate limit, if any) and its glide
    const seen = new Map((await page.evaluate(() => window.__probe.dump())).map((s) => [s.key, s]));

    const rows = sent.map((s) => ({ ...s, page: seen.get(s.key) }));
    const shown = rows.filter((r) => r.page);
    if (shown.length === 0) throw new Error(`none of the ${fixes} fixes showed on the tracking page; page errors: ${errors.slice(0, 3).join(" | ") || "none"}`);
    const result = {
      mode: "latency", label, fixes, intervalMs: interval, accepted: rows.filter((r) => r.accepted).length, shown: shown.length,
      ackMs: stats(rows.map((r) => r.ackedAt - r.sentAt)),
      toPageMs: stats(shown.map((r) => r.page.arrivedAt - r.sentAt)),
      toMoveMs: stats(shown.map((r) => (r.page.movedAt ? r.page.movedAt - r.sentAt : null))),
      toReachedMs: stats(shown.map((r) => (r.page.reachedAt ? r.page.reachedAt - r.sentAt : null))),
      pageErrors: errors.length,
    };
    if (errors.length) log(`page errors: ${errors.slice(0, 3).join(" | ")}`);
    const line = (name, s) => `${name} p50 ${s.p50} / p90 ${s.p90} / p99 ${s.p99} / max ${s.max} ms (n=${s.n})`;
    log(`${result.shown}/${fixes} fixes shown on the page (the others were superseded by a later one before a push)`);
    log(line("fix → page receives  ", result.toPageMs));
    log(line("fix → marker moves   ", result.toMoveMs));
    log(line("fix → marker reaches ", result.toReachedMs));
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await browser.close();
    await connection.invoke("GoOffline").catch(() => {});
    await connection.stop().catch(() => {});
  }
}

function round6(x) {
  return Math.round(x * 1e6) / 1e6;
}

try {
  if (mode === "board") await board();
  else if (mode === "latency") await latency();
  else fail("usage: node web/bench-web.mjs board|latency --server URL [options]; see the comment at the top");
} catch (error) {
  fail(error && error.stack ? error.stack : String(error));
}
