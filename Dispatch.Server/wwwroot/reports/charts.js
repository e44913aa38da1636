// The page's Chart.js charts, made once and given new data on every report.
import { day, hour } from "./format.js";

const colours = { brand: "#0f766e", amber: "#d97706", red: "#be123c", slate: "#475569", sky: "#0284c7" };
const charts = {};

function make(id, type, datasets, options = {}) {
  if (charts[id]) return charts[id];
  charts[id] = new Chart(document.getElementById(id), {
    type,
    data: { labels: [], datasets },
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...options },
  });
  return charts[id];
}

function set(chart, labels, values) {
  chart.data.labels = labels;
  values.forEach((data, i) => {
    chart.data.datasets[i].data = data;
  });
  chart.update();
}

const line = (label, colour) => ({ label, borderColor: colour, backgroundColor: colour, spanGaps: true, tension: 0.2 });
const bar = (label, colour) => ({ label, backgroundColor: colour });
const pct = (v) => (v == null ? null : Math.round(v * 1000) / 10);
const mins = (v) => (v == null ? null : Math.round(v / 6) / 10);

// days and hours: [{ start, figures }] from series.byPeriod.
export function drawCharts(days, hours) {
  const labels = days.map((d) => day(d.start));
  const f = days.map((d) => d.figures);
  const stacked = { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } };
  set(
    make("chart-orders", "bar", [bar("Delivered", colours.brand), bar("Cancelled", colours.amber), bar("Failed", colours.red)], stacked),
    labels,
    [f.map((x) => x.delivered), f.map((x) => x.cancelled), f.map((x) => x.failed)],
  );
  const shares = [line("On time %", colours.brand), line("Acceptance %", colours.sky), line("Utilisation %", colours.amber)];
  set(make("chart-shares", "line", shares, { scales: { y: { min: 0, max: 100 } } }), labels, [
    f.map((x) => pct(x.onTimeShare)),
    f.map((x) => pct(x.acceptanceRate)),
    f.map((x) => pct(x.utilisation)),
  ]);
  set(
    make("chart-times", "line", [line("Mean", colours.brand), line("p90", colours.red)], { scales: { y: { beginAtZero: true } } }),
    labels,
    [f.map((x) => mins(x.clickToDoorMeanSeconds)), f.map((x) => mins(x.clickToDoorP90Seconds))],
  );
  set(make("chart-earnings", "bar", [bar("Per online hour", colours.slate)], { scales: { y: { beginAtZero: true } } }), labels, [
    f.map((x) => (x.earningsPerOnlineHourCents == null ? null : Math.round(x.earningsPerOnlineHourCents) / 100)),
  ]);
  set(
    make("chart-hours", "bar", [bar("Delivered", colours.brand), bar("Cancelled", colours.amber)], stacked),
    hours.map((h) => hour(h.start)),
    [hours.map((h) => h.figures.delivered), hours.map((h) => h.figures.cancelled)],
  );
}

// Each chart's numbers as drawn, for tests and for reading the page without the canvas.
export function chartData() {
  return Object.fromEntries(
    Object.entries(charts).map(([id, chart]) => [id, chart.data.datasets.map((d) => ({ label: d.label, data: d.data }))]),
  );
}
