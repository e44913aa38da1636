using System.Collections.Concurrent;
using Dispatch.Core.Notifications;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// Sends due customer messages and raises "delayed" for late orders. Several nodes share the work: a message is claimed
/// (FOR UPDATE SKIP LOCKED) by moving its due time a lease ahead, so no two nodes send it at once and a node that dies
/// mid-send leaves it to another after the lease; the delay sweep's rows are unique per order and kind.
/// </summary>
internal sealed partial class CustomerNotificationCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    NpgsqlDataSource dataSource,
    IEnumerable<ICustomerNotifier> notifiers,
    TrackingLinks links,
    FleetReader couriers,
    IOptions<CustomerNotificationOptions> options,
    IOptions<DispatchOptions> dispatchOptions,
    TimeProvider clock,
    ILogger<CustomerNotificationCoordinator> logger)
{
    private readonly ICustomerNotifier _notifier = notifiers.Single(n => n.Channel == options.Value.Channel);

    // Messages leased as they were queued (CustomerNoticeConsumer), in the order queued, with when they were handed over,
    // waiting for the sending loop; with the places reserved for those about to be, at most HandedMax.
    private readonly ConcurrentQueue<(Claimed Message, long HandedAt)> _handed = new();
    private int _reserved;

    /// <summary>A message this node leased (by claiming it, or as it was queued) and is to send.</summary>
    internal sealed record Claimed(long Id, Guid OrderId, CustomerNoticeKind Kind, bool Held, int Attempts);

    /// <summary>
    /// Messages leased as queued and not yet sent are kept at most this many (beyond it they are queued unleased, for the
    /// claim): eight batches, most of a relay batch's messages. One that waited past half its lease (a slow gateway) is not
    /// sent from here but left to the claim once the lease is over, so it is never sent late in a lease that may run out mid-send.
    /// </summary>
    private int HandedMax => options.Value.BatchSize * 8;

    /// <summary>Takes up to <paramref name="wanted"/> places for messages leased as they are queued; each is handed over with <see cref="Hand"/> or given back with <see cref="Unreserve"/>.</summary>
    public int Reserve(int wanted)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            var take = Math.Min(HandedMax - current, wanted);
            if (take <= 0) return 0;
            if (Interlocked.CompareExchange(ref _reserved, current + take, current) == current) return take;
        }
    }

    public void Unreserve(int count)
    {
        if (count > 0) Interlocked.Add(ref _reserved, -count);
    }

    /// <summary>Messages leased as they were queued (committed), in a place each taken with <see cref="Reserve"/>: the sending loop sends them before it claims.</summary>
    public void Hand(IEnumerable<Claimed> leased)
    {
        var now = clock.GetTimestamp();
        foreach (var c in leased) _handed.Enqueue((c, now));
    }

    /// <summary>
    /// Sends a batch: those handed over as they were queued if any (no claim needed), else a claimed batch of due messages,
    /// one by one. Returns how many were sent or claimed.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var claimed = new List<Claimed>();
        var taken = 0;
        while (claimed.Count < o.BatchSize && _handed.TryDequeue(out var handed))
        {
            taken++;
            if (clock.GetElapsedTime(handed.HandedAt) < TimeSpan.FromSeconds(o.LeaseSeconds) / 2) claimed.Add(handed.Message);
            else LogHandedLate(logger, handed.Message.Id);
        }
        if (taken > 0)
        {
            // Their places are free again once they are sent and recorded (below), or now if this batch fails.
            try
            {
                if (claimed.Count > 0) await SendAsync(claimed, o, ct);
            }
            finally
            {
                Interlocked.Add(ref _reserved, -taken);
            }
            return taken;
        }
        claimed = await ClaimAsync(now, o, ct);
        if (claimed.Count == 0) return 0;
        await SendAsync(claimed, o, ct);
        return claimed.Count;
    }

    private async Task SendAsync(List<Claimed> claimed, CustomerNotificationOptions o, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var orderIds = claimed.Select(c => c.OrderId).Distinct().ToList();
        // The only place the customer's addresses are decrypted for notifications.
        var orders = await db.Orders.AsNoTracking().Where(x => orderIds.Contains(x.Id))
            .Select(x => new { x.Id, x.Number, x.TrackingExpiresAt, x.CustomerPhone, x.CustomerEmail, x.CustomerWeChatOpenId, x.CustomerLanguage })
            .ToDictionaryAsync(x => x.Id, ct);
        var heldOrders = claimed.Where(c => c.Held).Select(c => c.OrderId).Distinct().ToList();
        var noticesOf = (heldOrders.Count == 0 ? [] : await db.CustomerNotifications.AsNoTracking().Where(n => heldOrders.Contains(n.OrderId))
            .Select(n => new { n.OrderId, n.Kind }).ToListAsync(ct)).ToLookup(n => n.OrderId, n => n.Kind);

        // What became of each message is written in one statement per flush (CustomerNoticeOutcomes), not one per message.
        var outcomes = new CustomerNoticeOutcomes(dataSource, clock);
        foreach (var c in claimed)
        {
            if (outcomes.FlushDue) await outcomes.FlushAsync(ct);
            if (!orders.TryGetValue(c.OrderId, out var order))
            {
                outcomes.Finished(c.Id, CustomerNotificationStatus.Skipped, "the order no longer exists");
                continue;
            }
            var number = OrderRecord.FormatNumber(order.Number);
            if (c.Held && CustomerNotices.IsStale(c.Kind, noticesOf[c.OrderId]))
            {
                outcomes.Finished(c.Id, CustomerNotificationStatus.Dropped, "held through a quiet night and stale by its end: later news was sent");
                LogDropped(logger, number, c.Kind.ToString());
                continue;
            }
            var link = $"{o.PublicBaseUrl.TrimEnd('/')}/track/{links.Create(order.Id, order.TrackingExpiresAt)}";
            var text = CustomerTemplates.Render(c.Kind, order.CustomerLanguage, number, link);
            var message = new CustomerMessage(order.Id, number, c.Kind, order.CustomerLanguage, text, link, order.CustomerPhone, order.CustomerEmail, order.CustomerWeChatOpenId);
            try
            {
                var result = await _notifier.SendAsync(message, ct);
                if (result.Sent)
                {
                    outcomes.Sent(c.Id, clock.GetUtcNow(), _notifier.Channel.ToString());
                }
                else
                {
                    outcomes.Finished(c.Id, CustomerNotificationStatus.Skipped, result.SkipReason);
                    LogSkipped(logger, number, c.Kind.ToString(), _notifier.Channel.ToString(), result.SkipReason);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var reason = $"{ex.GetType().Name}: {ex.Message}";
                if (c.Attempts >= o.MaxAttempts)
                {
                    outcomes.Finished(c.Id, CustomerNotificationStatus.Failed, reason);
                    LogFailed(logger, number, c.Kind.ToString(), _notifier.Channel.ToString(), c.Attempts, ex);
                    continue;
                }
                var retryAt = clock.GetUtcNow() + RetryPause(c.Attempts, o);
                outcomes.Retry(c.Id, retryAt, reason);
                LogRetry(logger, number, c.Kind.ToString(), _notifier.Channel.ToString(), c.Attempts, retryAt, ex.Message);
            }
        }
        await outcomes.FlushAsync(ct);
    }

    /// <summary>The pause after the <paramref name="attempts"/>-th failed try: the first pause doubled per further try, at most a day.</summary>
    public static TimeSpan RetryPause(int attempts, CustomerNotificationOptions o)
    {
        var pause = TimeSpan.FromSeconds(o.RetryFirstSeconds * Math.Pow(2, Math.Min(attempts - 1, 20)));
        return pause < TimeSpan.FromDays(1) ? pause : TimeSpan.FromDays(1);
    }

    /// <summary>
    /// The first due messages by (due_at, id), leased. Bitmap scans are off for the claim: with statistics taken before a burst
    /// (they see few pending rows) the planner read every due message and sorted them for each claim of BatchSize, a cost that
    /// grew with the backlog (4.2 and 2.7 ms for 50 of 8,000 pending, psql; 0.9 and 0.7 ms along the index, which stops at the limit).
    /// </summary>
    private async Task<List<Claimed>> ClaimAsync(DateTimeOffset now, CustomerNotificationOptions o, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var plan = new NpgsqlCommand("set local enable_bitmapscan = off", connection, tx)) await plan.ExecuteNonQueryAsync(ct);
        await using var claim = new NpgsqlCommand("""
            update customer_notifications n set due_at = $2, attempts = n.attempts + 1
            where n.id in (select id from customer_notifications where status = 0 and due_at <= $1 order by due_at, id limit $3 for update skip locked)
            returning n.id, n.order_id, n.kind, n.held, n.attempts
            """, connection, tx)
        {
            Parameters = { new() { Value = now }, new() { Value = now.AddSeconds(o.LeaseSeconds) }, new() { Value = o.BatchSize } },
        };
        var claimed = new List<Claimed>();
        await using (var reader = await claim.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                claimed.Add(new Claimed(reader.GetInt64(0), reader.GetGuid(1), Enum.Parse<CustomerNoticeKind>(reader.GetString(2)), reader.GetBoolean(3), reader.GetInt32(4)));
        }
        await tx.CommitAsync(ct);
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id)); // an order's messages in the order they were raised
        return claimed;
    }

    /// <summary>
    /// Raises "delayed" for orders with a courier whose current ETA (straight line from the courier's last position, as at
    /// accept without a road network) is past the promise made at accept by more than the threshold, or whose courier has
    /// been silent past the limit. Once per order: the row is unique, so two nodes sweeping at once add it once.
    /// </summary>
    public async Task<int> SweepDelaysAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var candidates = await db.Orders.AsNoTracking()
            .Where(x => x.IsOpen && x.Status >= OrderStatus.Accepted && x.Status <= OrderStatus.ArrivedAtDropoff && x.EtaAtAccept != null && x.CourierId != null
                && !db.CustomerNotifications.Any(n => n.OrderId == x.Id && n.Kind == CustomerNoticeKind.Delayed))
            .Select(x => new { x.Id, x.Number, x.Status, CourierId = x.CourierId!.Value, Promise = x.EtaAtAccept!.Value, x.Pickup, x.Dropoff })
            .OrderBy(x => x.Promise).Take(5_000).ToListAsync(ct);
        if (candidates.Count == 0) return 0;
        var snapshots = await couriers.GetManyAsync([.. candidates.Select(c => c.CourierId)]);
        var rule = new DelayRule(TimeSpan.FromMinutes(o.DelayThresholdMinutes), TimeSpan.FromMinutes(o.SilentCourierMinutes));
        var late = new List<CustomerNoticeConsumer.Row>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var courier = snapshots[i];
            DateTimeOffset? eta = courier is null ? null : now.AddSeconds(Eta.ToDropoffSeconds(c.Status, new Dispatch.Core.Geo.LatLon(courier.Lat, courier.Lon),
                OrderEvents.ToLatLon(c.Pickup), OrderEvents.ToLatLon(c.Dropoff), dispatchOptions.Value.EtaSpeedMetresPerSecond));
            var reason = rule.Decide(c.Promise, eta, courier?.At, now);
            if (reason == DelayReason.None) continue;
            late.Add(new CustomerNoticeConsumer.Row(c.Id, CustomerNoticeKind.Delayed, null, false, now));
            LogLate(logger, OrderRecord.FormatNumber(c.Number), reason.ToString(), c.Promise, eta);
        }
        if (late.Count == 0) return 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await CustomerNoticeConsumer.InsertAsync(connection, late, now, ct)).Added;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer message #{Id} waited past half its lease to be sent from this node; it is left to the claim after the lease")]
    private static partial void LogHandedLate(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderNumber} is late ({Reason}: promised {Promise:O}, ETA now {Eta:O}); the customer is told")]
    private static partial void LogLate(ILogger logger, string orderNumber, string reason, DateTimeOffset promise, DateTimeOffset? eta);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer message {Kind} for order {OrderNumber} dropped: held through a quiet night, and later news exists")]
    private static partial void LogDropped(ILogger logger, string orderNumber, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer message {Kind} for order {OrderNumber} skipped by {Channel}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string orderNumber, string kind, string channel, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer message {Kind} for order {OrderNumber} failed on {Channel} (try {Attempt}); next try at {RetryAt:O}: {Error}")]
    private static partial void LogRetry(ILogger logger, string orderNumber, string kind, string channel, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Customer message {Kind} for order {OrderNumber} failed on {Channel} after {Attempts} tries; marked failed")]
    private static partial void LogFailed(ILogger logger, string orderNumber, string kind, string channel, int attempts, Exception ex);
}
