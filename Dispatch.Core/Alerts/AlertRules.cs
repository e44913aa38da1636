using System.Globalization;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Alerts;

/// <summary>
/// The control-room alert rules: pure functions of what the server gathered and the time it gathered it. Every alert's
/// <see cref="Alert.RaisedAt"/> is the moment its condition became true, so acknowledging hides it until a new episode.
/// </summary>
public static class AlertRules
{
    /// <summary>Every alert that holds at <see cref="AlertInputs.Now"/>, newest first (ties by key, so the order is stable).</summary>
    public static IReadOnlyList<Alert> Evaluate(AlertInputs inputs, AlertLimits limits)
    {
        var now = inputs.Now;
        var alerts = new List<Alert>();

        foreach (var c in inputs.Couriers)
        {
            var silent = now - c.LastSeen;
            if (silent <= limits.StaleCourierAfter) continue;
            var who = CourierLabel(c.CourierId, c.Name);
            var load = c.ActiveOrders > 0 ? $" while holding {Plural(c.ActiveOrders, "order")}" : "";
            alerts.Add(new Alert(
                $"stale:{c.CourierId:N}", AlertKind.StaleCourier, c.ActiveOrders > 0 ? AlertSeverity.Critical : AlertSeverity.Warning,
                c.LastSeen + limits.StaleCourierAfter, $"{who} is silent",
                $"No position for {Duration(silent)}{load}.", null, c.CourierId));
        }

        var declinesByOrder = inputs.Declines.GroupBy(d => d.OrderId).ToDictionary(g => g.Key, g => g.Select(d => d.At).OrderDescending().ToList());
        foreach (var o in inputs.Orders)
        {
            if (o.Status == OrderStatus.Placed && o.PaymentAlertAt is { } refused)
            {
                alerts.Add(new Alert(
                    $"payment:{o.OrderId:N}", AlertKind.PaymentMismatch, AlertSeverity.Critical, refused, $"{o.Number} payment refused",
                    $"{o.PaymentAlert} The order stays unpaid: check with the merchant or the provider.", o.OrderId, null));
            }
            if (OrderStateMachine.IsTerminal(o.Status) || o.Status == OrderStatus.Placed) continue;

            if (now > o.PromisedAt)
            {
                alerts.Add(new Alert(
                    $"late:{o.OrderId:N}", AlertKind.Late, AlertSeverity.Critical, o.PromisedAt, $"{o.Number} is late",
                    $"Promised for {o.PromisedAt.UtcDateTime:HH:mm} UTC, {Duration(now - o.PromisedAt)} ago; now {o.Status}.", o.OrderId, o.CourierId));
            }

            if (IsUnassigned(o.Status) && o.ReadySince is { } ready && now - ready > limits.UnassignedAfter)
            {
                alerts.Add(new Alert(
                    $"unassigned:{o.OrderId:N}", AlertKind.Unassigned, AlertSeverity.Warning, ready + limits.UnassignedAfter,
                    $"{o.Number} has no courier", $"Waiting {Duration(now - ready)} since payment; assign a courier by hand.", o.OrderId, null));
            }

            if (o.ColdChain && OrderStateMachine.IsCarrying(o.Status) && o.PickedUpAt is { } picked)
            {
                var riskAt = picked + limits.ColdChainBudget * limits.ColdChainAtRiskFraction;
                if (now >= riskAt)
                {
                    var used = (now - picked) / limits.ColdChainBudget;
                    alerts.Add(new Alert(
                        $"coldchain:{o.OrderId:N}", AlertKind.ColdChainAtRisk, AlertSeverity.Critical, riskAt,
                        $"{o.Number} cold chain at risk",
                        $"Frozen goods on the road for {Duration(now - picked)}: {used.ToString("P0", CultureInfo.InvariantCulture)} of the {Duration(limits.ColdChainBudget)} budget.",
                        o.OrderId, o.CourierId));
                }
            }

            if (o.PinLockedAt is { } locked)
            {
                alerts.Add(new Alert(
                    $"pin-locked:{o.OrderId:N}", AlertKind.PinLocked, AlertSeverity.Critical, locked, $"{o.Number} PIN locked",
                    "Too many wrong PINs at the drop-off: call the courier and the customer, then unlock PIN entry with a reason.", o.OrderId, o.CourierId));
            }

            // The storm starts at the Nth most recent decline: after an acknowledgement it returns only once N more come.
            if (declinesByOrder.TryGetValue(o.OrderId, out var declines) && declines.Count >= limits.OrderDeclineStorm)
            {
                alerts.Add(new Alert(
                    $"declines-order:{o.OrderId:N}", AlertKind.OrderDeclineStorm, AlertSeverity.Warning, declines[limits.OrderDeclineStorm - 1],
                    $"{o.Number} declined {Plural(declines.Count, "time")}",
                    $"{Plural(declines.Count, "courier")} turned it down; check the pickup, the pay or assign it by hand.", o.OrderId, o.CourierId));
            }
        }

        var since = now - limits.CourierDeclineWindow;
        var names = inputs.Couriers.ToDictionary(c => c.CourierId, c => c.Name);
        foreach (var g in inputs.Declines.Where(d => d.At > since && d.At <= now).GroupBy(d => d.CourierId))
        {
            var times = g.Select(d => d.At).OrderDescending().ToList();
            if (times.Count < limits.CourierDeclineStorm) continue;
            var who = CourierLabel(g.Key, names.GetValueOrDefault(g.Key));
            alerts.Add(new Alert(
                $"declines-courier:{g.Key:N}", AlertKind.CourierDeclineStorm, AlertSeverity.Warning, times[limits.CourierDeclineStorm - 1],
                $"{who} declines everything", $"{Plural(times.Count, "offer")} declined in the last {Duration(limits.CourierDeclineWindow)}.", null, g.Key));
        }

        alerts.Sort(static (a, b) =>
        {
            var byTime = b.RaisedAt.CompareTo(a.RaisedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Key, b.Key);
        });
        return alerts;
    }

    /// <summary>The alerts not acknowledged since they were raised. <paramref name="acknowledged"/>: key → when.</summary>
    public static IReadOnlyList<Alert> Unacknowledged(IEnumerable<Alert> alerts, IReadOnlyDictionary<string, DateTimeOffset> acknowledged) =>
        [.. alerts.Where(a => !acknowledged.TryGetValue(a.Key, out var at) || at < a.RaisedAt)];

    /// <summary>True while the order waits for a courier (paid, being offered).</summary>
    public static bool IsUnassigned(OrderStatus status) => status is OrderStatus.Paid or OrderStatus.Dispatching or OrderStatus.Offered;

    private static string CourierLabel(Guid id, string? name) => string.IsNullOrWhiteSpace(name) ? $"Courier {id.ToString("N")[..8]}" : name;

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>"45 s", "7 min", "1 h 05 min".</summary>
    public static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t < TimeSpan.FromMinutes(2)) return $"{(int)t.TotalSeconds} s";
        if (t < TimeSpan.FromHours(1)) return $"{(int)t.TotalMinutes} min";
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:00} min");
    }
}
