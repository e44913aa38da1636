// Turns the report's rows (one per zone and period) into one value per period across the chosen zones: counts add up,
// shares are recomputed from the added counts, means are weighted by what they were measured over.

function sum(rows, key) {
  return rows.reduce((total, row) => total + (row[key] || 0), 0);
}

function weighted(rows, key, weightKey) {
  const measured = rows.filter((row) => row[key] != null && row[weightKey] > 0);
  const weight = sum(measured, weightKey);
  return weight === 0 ? null : measured.reduce((total, row) => total + row[key] * row[weightKey], 0) / weight;
}

function share(part, whole) {
  return whole === 0 ? null : part / whole;
}

// One period's figures from its rows (any number of zones).
export function combine(rows) {
  const delivered = sum(rows, "delivered");
  const onlineMinutes = sum(rows, "onlineMinutes");
  const p90s = rows.map((row) => row.clickToDoorP90Seconds).filter((v) => v != null);
  return {
    delivered,
    cancelled: sum(rows, "cancelled"),
    failed: sum(rows, "failed"),
    onTimeShare: share(sum(rows, "onTime"), delivered),
    acceptanceRate: share(sum(rows, "offersAccepted"), sum(rows, "offers")),
    utilisation: share(sum(rows, "busyMinutes"), onlineMinutes),
    clickToDoorMeanSeconds: weighted(rows, "clickToDoorMeanSeconds", "delivered"),
    // The worst zone's p90: percentiles of several zones do not add up.
    clickToDoorP90Seconds: p90s.length ? Math.max(...p90s) : null,
    earningsCents: sum(rows, "earningsCents"),
    earningsPerOnlineHourCents: weighted(rows, "earningsPerOnlineHourCents", "onlineMinutes"),
    coldChainExcursions: sum(rows, "coldChainExcursions"),
  };
}

// Rows grouped by period start, in time order: [{ start, figures }].
export function byPeriod(rows) {
  const groups = new Map();
  for (const row of rows) {
    if (!groups.has(row.start)) groups.set(row.start, []);
    groups.get(row.start).push(row);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([start, group]) => ({ start, figures: combine(group) }));
}
