// The reports page: sign in (dispatcher or admin), pick a range and a zone, and see the figures as charts, totals and a
// table; the CSV button downloads the same report.
import { $, showError } from "../common/dom.js";
import { newestOnly } from "../common/newest.js";
import { signInForm } from "../common/signin.js";
import { fetchCsv, fetchReport, session } from "./api.js";
import { chartData, drawCharts } from "./charts.js";
import { byPeriod, combine } from "./series.js";
import { renderDays, renderTotals } from "./table.js";

const DAYS = 14;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function range() {
  return { from: $("range-from").value, to: $("range-to").value, zone: $("range-zone").value };
}

function offerZones(zones) {
  const select = $("range-zone");
  const known = new Set([...select.options].map((o) => o.value));
  for (const zone of zones) {
    if (!known.has(zone)) select.append(new Option(zone, zone));
  }
}

// A range or zone asked for earlier and answered later is not drawn over the newer one.
const reportLoad = newestOnly();

async function load() {
  const newest = reportLoad();
  showError("report-error", "");
  $("report-status").textContent = "Loading…";
  try {
    const report = await fetchReport(range());
    if (!newest()) return;
    offerZones(report.zones);
    renderTotals(combine(report.days));
    renderDays(report.days);
    drawCharts(byPeriod(report.days), byPeriod(report.hours));
    $("report-status").textContent = `${report.days.length} zone-days from ${report.from} to ${report.to}.`;
    document.body.dataset.loaded = "true";
  } catch (error) {
    if (!newest()) return;
    $("report-status").textContent = "";
    showError("report-error", error.message);
  }
}

async function downloadCsv() {
  showError("report-error", "");
  try {
    const blob = await fetchCsv(range());
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `dispatch-report-${$("range-from").value}-${$("range-to").value}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (error) {
    showError("report-error", error.message);
  }
}

const today = new Date();
$("range-to").value = isoDay(today);
$("range-from").value = isoDay(new Date(today.getTime() - (DAYS - 1) * 86_400_000));
$("range-form").addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
$("csv-download").addEventListener("click", downloadCsv);

const signIn = signInForm({
  session,
  storageKey: "dispatch.reports.token",
  missingToken: "Paste your dispatcher or admin token first.",
  demo: {
    url: "/dev/token",
    body: { role: "admin", subject: "demo-admin" },
    token: (answer) => answer.token,
    unavailable: "Demo admins are only available on a development server.",
    failed: (message) => `Could not get a demo admin token (${message}).`,
  },
  onSignIn: () => load(),
  onSignOut: () => {},
});

// For tests and curious operators: the numbers each chart draws.
window.dispatchReports = { chartData };
signIn.resume();
