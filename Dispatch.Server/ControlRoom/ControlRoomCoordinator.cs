using System.Globalization;
using Dispatch.Core.Alerts;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// The control-room board's picture of each zone beyond courier positions: open orders, alerts and key figures.
/// <see cref="RefreshAsync"/> is the one place that gathers the alert rules' inputs (open orders and their events and
/// declines from PostgreSQL, courier states and acknowledgements from Redis), asks <see cref="AlertRules"/>, and queues
/// what changed into the batched <see cref="BoardFrames"/> (on the zone's holder only: one sender per zone). Called every <see cref="ControlRoomOptions.RefreshMilliseconds"/>
/// by <see cref="ControlRoomService"/>; Watch and acknowledge read the same state under the same gate.
/// </summary>
internal sealed partial class ControlRoomCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    NpgsqlDataSource data,
    FleetReader fleet,
    ZoneMap zones,
    Couriers.CourierNames names,
    BoardFrames frames,
    Zones.ZoneLeadership leadership,
    IHubContext<ControlRoomHub, IControlRoomClient> hub,
    TimeProvider clock,
    IOptions<ControlRoomOptions> options,
    IOptions<DispatchOptions> dispatch,
    ILogger<ControlRoomCoordinator> logger) : IDisposable
{
    /// <summary>Acknowledgements older than this are forgotten (their alerts are long gone).</summary>
    private static readonly TimeSpan KeepAcknowledgements = TimeSpan.FromDays(2);

    private static readonly OrderStatus[] OpenStatuses =
    [
        OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup,
        OrderStatus.PickedUp, OrderStatus.InTransit, OrderStatus.ArrivedAtDropoff,
    ];

    private sealed class ZoneBoard
    {
        public Dictionary<Guid, BoardOrder> Orders { get; } = [];
        public IReadOnlyList<Alert> Raised { get; set; } = [];
        public Alert[] Active { get; set; } = [];
        public Dictionary<string, (DateTimeOffset At, string By)> Acknowledged { get; set; } = new(StringComparer.Ordinal);
        public BoardKpis Kpis { get; set; } = new(0, 0, 0, 0, 0, 0, null, null, 0);
        public (int Answered, double? Rate, double? EtaMae, int EtaSamples) SlowKpis { get; set; }
        public DateTimeOffset SlowKpisAt { get; set; } = DateTimeOffset.MinValue;
        public bool Loaded { get; set; }

        /// <summary>This node held the zone's lease at the last refresh, so it sent the zone's frames.</summary>
        public bool Led { get; set; }
    }

    /// <summary>An acknowledgement as recorded: which alert, who, when.</summary>
    public sealed record AlertAcknowledgement(string Zone, string Key, string By, DateTimeOffset At);

    /// <summary>What Watch adds to the couriers: the zone's open orders, unacknowledged alerts and key figures.</summary>
    public sealed record ZoneState(BoardOrder[] Orders, Alert[] Alerts, BoardKpis Kpis);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ZoneBoard> _boards = new(StringComparer.Ordinal);

    public async Task RefreshAllAsync(CancellationToken ct)
    {
        foreach (var zone in zones.All) await RefreshAsync(zone.Name, ct);
    }

    public async Task RefreshAsync(string zone, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await RefreshLockedAsync(zone, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ZoneState> StateAsync(string zone, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var board = await LoadedAsync(zone, ct);
            return new ZoneState([.. board.Orders.Values.OrderBy(o => o.CreatedAt)], board.Active, board.Kpis);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A dispatcher acknowledges an alert: recorded in Redis with who and when (so every node hides it), removed from this
    /// zone's list, and the new list goes to every board watching the zone in the next frame.
    /// </summary>
    public async Task<Outcome<AlertAcknowledgement>> AcknowledgeAsync(string zone, string? key, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        var outcome = await TryAcknowledgeAsync(zone, key, actor, audit, ct);
        if (!outcome.Ok) LogAcknowledgeRefused(logger, key ?? "", zone, actor, outcome.Failure!.Detail);
        return outcome;
    }

    private async Task<Outcome<AlertAcknowledgement>> TryAcknowledgeAsync(string zone, string? key, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        if (zones.ByName(zone) is null) return Failure.NotFound($"Zone '{zone}' is not served here; see GET /api/zones.");
        if (Core.Validation.TextRules.Check("key", key, 100) is { } badKey) return Failure.BadRequest("key", badKey);
        key = key?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 100)
            return Failure.BadRequest("key", "Send the alert's key (as the board lists it, e.g. \"late:0196…\"), 1–100 characters.");
        await _gate.WaitAsync(ct);
        try
        {
            var board = await LoadedAsync(zone, ct);
            if (board.Active.FirstOrDefault(a => a.Key == key) is not { } alert)
            {
                if (board.Acknowledged.TryGetValue(key, out var done) && board.Raised.Any(a => a.Key == key))
                    return Failure.Conflict($"Alert {key} was already acknowledged by {done.By} at {done.At.UtcDateTime:HH:mm:ss} UTC.");
                return Failure.NotFound($"No open alert {key} in zone {zone}; it may have cleared. The board shows the current list.");
            }
            var now = clock.GetUtcNow();
            // The acknowledgement is its audit row: PostgreSQL keeps who and when, every node's board reads it from there.
            await using (var db = await dbs.CreateDbContextAsync(ct))
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await Audit.AuditTrail.WriteAsync(db.Database, audit, AcknowledgeAction, AlertTarget(zone, key), now, null, new { by = actor, kind = alert.Kind }, ct);
                await tx.CommitAsync(ct);
            }
            board.Acknowledged[key] = (now, actor);
            board.Active = [.. AlertRules.Unacknowledged(board.Raised, ToTimes(board.Acknowledged))];
            frames.SetAlerts(zone, board.Active);
            LogAcknowledged(logger, alert.Kind, key, zone, actor);
            return new AlertAcknowledgement(zone, key, actor, now);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ZoneBoard> LoadedAsync(string zone, CancellationToken ct)
    {
        if (!_boards.TryGetValue(zone, out var board) || !board.Loaded) await RefreshLockedAsync(zone, ct);
        return _boards[zone];
    }

    private async Task RefreshLockedAsync(string zone, CancellationToken ct)
    {
        if (!_boards.TryGetValue(zone, out var board)) _boards[zone] = board = new ZoneBoard();
        // Every node keeps the picture (its boards' Watch reads it), but only the zone's holder sends its changes, so a board
        // gets each change once, not once per node. A new holder cannot know what the old one sent last: the zone's boards,
        // on every node, watch again.
        var leads = leadership.FenceFor(zone) is not null;
        if (leads && !board.Led && board.Loaded) await hub.Clients.Group(ControlRoomHub.Group(zone)).Refresh();
        board.Led = leads;
        var o = options.Value;
        var limits = o.Limits(dispatch.Value.ColdChainBudget);
        var now = clock.GetUtcNow();

        // PostgreSQL: open orders, when each was paid and picked up, and the declines the storm rules count.
        await using var db = await dbs.CreateDbContextAsync(ct);
        var open = await db.Orders.AsNoTracking()
            .Where(x => x.IsOpen && x.Zone == zone && OpenStatuses.Contains(x.Status))
            .Select(x => new
            {
                x.Id, x.Number, x.Status, x.Kind, x.RequiresColdChain, x.Pickup, x.PickupAddress, x.Dropoff, x.DropoffAddress,
                x.CreatedAt, x.PromisedAt, x.CourierId, x.PinLockedAt,
            })
            .ToListAsync(ct);
        // Unpaid orders whose payment was refused as not matching: the dispatcher hears of them though they are not open yet.
        var refusedPayments = await db.Orders.AsNoTracking()
            .Where(x => x.Zone == zone && x.Status == OrderStatus.Placed && x.PaymentAlertAt != null)
            .OrderByDescending(x => x.PaymentAlertAt).Select(x => new { x.Id, x.Number, x.RequiresColdChain, x.PromisedAt, x.PaymentAlertAt, x.PaymentAlert }).Take(200).ToListAsync(ct);
        var ids = open.Select(x => x.Id).ToList();
        var milestones = await db.OrderEvents.AsNoTracking()
            .Where(e => ids.Contains(e.OrderId) && (e.Status == OrderStatus.Paid || e.Status == OrderStatus.PickedUp))
            .GroupBy(e => new { e.OrderId, e.Status })
            .Select(g => new { g.Key.OrderId, g.Key.Status, At = g.Max(e => e.At) })
            .ToListAsync(ct);
        var windowStart = now - limits.CourierDeclineWindow;
        var declines = await db.Offers.AsNoTracking()
            .Where(f => f.Status == OfferStatus.Declined
                && (ids.Contains(f.OrderId) || (f.RespondedAt > windowStart && db.Orders.Any(x => x.Id == f.OrderId && x.Zone == zone))))
            .Select(f => new DeclineFact(f.OrderId, f.CourierId, f.RespondedAt ?? f.CreatedAt))
            .ToListAsync(ct);

        // The fleet: couriers the zone believes online (recently seen, or holding an open order); then acknowledgements.
        var seen = (await fleet.SeenInZoneAsync(zone)).ToHashSet();
        var courierIds = seen.Concat(open.Where(x => x.CourierId is not null).Select(x => x.CourierId!.Value)).Distinct().ToList();
        var couriers = (await fleet.GetManyAsync(courierIds)).OfType<CourierSnapshot>()
            .Where(s => s.Zone == zone && s.Activity != CourierActivity.Offline).ToList();
        var learnt = await names.LoadMissingAsync(courierIds, ct);
        if (learnt.Count > 0) frames.AddCouriers(couriers.Where(c => learnt.Contains(c.CourierId) && seen.Contains(c.CourierId)));
        board.Acknowledged = await ReadAcknowledgementsAsync(zone, now, ct);

        // Core decides.
        var paid = milestones.Where(m => m.Status == OrderStatus.Paid).ToDictionary(m => m.OrderId, m => m.At);
        var pickedUp = milestones.Where(m => m.Status == OrderStatus.PickedUp).ToDictionary(m => m.OrderId, m => m.At);
        var facts = open.Select(x => new OrderFacts(x.Id, OrderRecord.FormatNumber(x.Number), x.Status, x.RequiresColdChain || x.Kind == OrderKind.Frozen,
            x.PromisedAt, paid.TryGetValue(x.Id, out var p) ? p : x.CreatedAt, pickedUp.TryGetValue(x.Id, out var u) ? u : null, x.CourierId, x.PinLockedAt)).ToList();
        facts.AddRange(refusedPayments.Select(x => new OrderFacts(x.Id, OrderRecord.FormatNumber(x.Number), OrderStatus.Placed, x.RequiresColdChain, x.PromisedAt,
            null, null, null, null, x.PaymentAlertAt, x.PaymentAlert)));
        var courierFacts = couriers.Select(c => new CourierFacts(c.CourierId, names.Find(c.CourierId), c.At, c.ActiveOrders)).ToList();
        board.Raised = AlertRules.Evaluate(new AlertInputs(now, facts, courierFacts, declines), limits);
        var active = AlertRules.Unacknowledged(board.Raised, ToTimes(board.Acknowledged)).ToArray();
        if (!board.Loaded || !active.SequenceEqual(board.Active))
        {
            board.Active = active;
            if (leads) frames.SetAlerts(zone, active);
        }

        // Orders: queue only what changed since the last refresh.
        var current = open.Select(x =>
        {
            var pickup = OrderEvents.ToLatLon(x.Pickup);
            var dropoff = OrderEvents.ToLatLon(x.Dropoff);
            return new BoardOrder(x.Id, OrderRecord.FormatNumber(x.Number), x.Status, x.Kind, x.RequiresColdChain || x.Kind == OrderKind.Frozen,
                pickup.Lat, pickup.Lon, x.PickupAddress, dropoff.Lat, dropoff.Lon, x.DropoffAddress, x.CreatedAt, x.PromisedAt,
                x.CourierId, x.CourierId is { } c ? names.Find(c) : null);
        }).ToDictionary(x => x.OrderId);
        var changed = current.Values.Where(x => !board.Orders.TryGetValue(x.OrderId, out var before) || before != x).ToList();
        var removed = board.Orders.Keys.Where(id => !current.ContainsKey(id)).ToList();
        if (changed.Count > 0 || removed.Count > 0)
        {
            board.Orders.Clear();
            foreach (var (id, x) in current) board.Orders[id] = x;
            if (leads) frames.AddOrders(zone, changed, removed);
        }

        // Key figures: counts every refresh, the SQL aggregates every KpiRefreshSeconds.
        if (now - board.SlowKpisAt >= TimeSpan.FromSeconds(o.KpiRefreshSeconds))
        {
            board.SlowKpis = await SlowKpisAsync(zone, now, ct);
            board.SlowKpisAt = now;
        }
        var s = board.SlowKpis;
        var kpis = new BoardKpis(
            open.Count(x => AlertRules.IsUnassigned(x.Status)),
            open.Count(x => x.Status is OrderStatus.Accepted or OrderStatus.ArrivedAtPickup),
            open.Count(x => OrderStateMachine.IsCarrying(x.Status)),
            board.Raised.Count(a => a.Kind == AlertKind.Late),
            board.Raised.Count(a => a.Kind == AlertKind.ColdChainAtRisk),
            s.Answered, s.Rate, s.EtaMae, s.EtaSamples);
        if (!board.Loaded || kpis != board.Kpis)
        {
            board.Kpis = kpis;
            if (leads) frames.SetKpis(zone, kpis);
        }
        board.Loaded = true;
    }

    private const string AcknowledgeAction = "alert.acknowledge";

    private static string AlertTarget(string zone, string key) => $"alert:{zone}:{key}";

    /// <summary>The zone's acknowledgements of the last <see cref="KeepAcknowledgements"/> (older alerts are long gone), from the audit log.</summary>
    private async Task<Dictionary<string, (DateTimeOffset At, string By)>> ReadAcknowledgementsAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var prefix = AlertTarget(zone, "");
        var since = now - KeepAcknowledgements;
        var rows = await db.AuditLog.AsNoTracking()
            .Where(a => a.Action == AcknowledgeAction && a.Target.StartsWith(prefix) && a.At > since)
            .Select(a => new { a.Target, a.At, a.After }).ToListAsync(ct);
        var result = new Dictionary<string, (DateTimeOffset, string)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            using var after = System.Text.Json.JsonDocument.Parse(row.After ?? "{}");
            var by = after.RootElement.TryGetProperty("by", out var b) ? b.GetString() ?? "?" : "?";
            result[row.Target[prefix.Length..]] = (row.At, by);
        }
        return result;
    }

    private async Task<(int Answered, double? Rate, double? EtaMae, int EtaSamples)> SlowKpisAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = """
            select (select count(*) filter (where f.status = $3) from offers f join orders o on o.id = f.order_id
                    where o.zone = $1 and f.responded_at >= $2 and f.status in ($3, $4)),
                   (select count(*) from offers f join orders o on o.id = f.order_id
                    where o.zone = $1 and f.responded_at >= $2 and f.status in ($3, $4)),
                   (select avg(abs(extract(epoch from delivered_at - eta_at_accept)))::float8 from orders
                    where zone = $1 and status = $5 and delivered_at >= $6 and eta_at_accept is not null),
                   (select count(*) from orders where zone = $1 and status = $5 and delivered_at >= $6 and eta_at_accept is not null)
            """;
        await using var command = data.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = zone });
        command.Parameters.Add(new NpgsqlParameter { Value = now.AddHours(-1) });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)OfferStatus.Accepted });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)OfferStatus.Declined });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)OrderStatus.Delivered });
        command.Parameters.Add(new NpgsqlParameter { Value = now.AddHours(-24) });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var accepted = reader.GetInt64(0);
        var answered = reader.GetInt64(1);
        double? mae = reader.IsDBNull(2) ? null : Math.Round(reader.GetDouble(2), 1);
        return ((int)answered, answered == 0 ? null : Math.Round((double)accepted / answered, 3), mae, (int)reader.GetInt64(3));
    }

    private static Dictionary<string, DateTimeOffset> ToTimes(Dictionary<string, (DateTimeOffset At, string By)> acks) =>
        acks.ToDictionary(a => a.Key, a => a.Value.At, StringComparer.Ordinal);

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledging alert {Key} in zone {Zone} by {Actor} refused: {Reason}")]
    private static partial void LogAcknowledgeRefused(ILogger logger, string key, string zone, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Kind} {Key} in zone {Zone} acknowledged by {Actor}")]
    private static partial void LogAcknowledged(ILogger logger, AlertKind kind, string key, string zone, string actor);
}
