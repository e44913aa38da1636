using Dispatch.Core.Notifications;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// Turns committed order events into customer messages to send: one row per order and kind in customer_notifications
/// (a replayed event, or a second event of a kind, finds the row there and adds nothing), due now or at the end of a quiet
/// night. Quick local work only: the sending is <see cref="CustomerNotificationService"/>'s.
/// </summary>
internal sealed partial class CustomerNoticeConsumer(
    NpgsqlDataSource dataSource,
    CustomerNotificationCoordinator coordinator,
    CustomerNotificationService sendingLoop,
    IOptions<CustomerNotificationOptions> options,
    IOptions<DispatchOptions> dispatchOptions,
    TimeProvider clock,
    ILogger<CustomerNoticeConsumer> logger) : IOutboxConsumer
{
    private readonly QuietNight _night = new(
        TimeZoneInfo.FindSystemTimeZoneById(dispatchOptions.Value.EarningsTimeZone),
        options.Value.QuietNight.StartHour, options.Value.QuietNight.EndHour, options.Value.QuietNight.MorningEndHour);

    private readonly HashSet<string> _quietMerchants = [.. options.Value.QuietNight.Merchants];

    public string Name => "customer-notifications";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        var raised = new List<(OutboxEvent Event, Guid OrderId, string MerchantId, CustomerNoticeKind Kind, DateTimeOffset At)>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case OutboxKinds.OrderStatus:
                    var moved = e.Read<OrderMoved>();
                    if (CustomerNotices.ForMove(moved.From, moved.To) is { } kind) raised.Add((e, moved.OrderId, moved.MerchantId, kind, moved.At));
                    break;
                case OutboxKinds.OrderArriving:
                    var arriving = e.Read<OrderArriving>();
                    raised.Add((e, arriving.OrderId, arriving.MerchantId, CustomerNoticeKind.Arriving, arriving.At));
                    break;
                case OutboxKinds.PaymentRefunded:
                    var refunded = e.Read<Payments.PaymentRefunded>();
                    raised.Add((e, refunded.OrderId, refunded.MerchantId, CustomerNoticeKind.Refunded, refunded.At));
                    break;
            }
        }
        if (raised.Count == 0) return;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var pickups = await PickupsAsync(connection, raised.Where(r => _quietMerchants.Contains(r.MerchantId)).Select(r => r.OrderId).Distinct().ToArray(), ct);
        var now = clock.GetUtcNow();
        // Messages due now are leased as they are queued, as many as the sender has room for, and handed to it: no claim
        // (an UPDATE of each row, and a statement per batch) stands between queuing and sending. A node that dies first
        // leaves them to the claim after the lease, as it would a claimed batch; one queued again (a batch handed over
        // again) finds its row and is neither added nor handed.
        var room = coordinator.Reserve(raised.Count);
        var leaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
        var rows = raised.Select(r =>
        {
            var order = pickups.GetValueOrDefault(r.OrderId);
            var hold = _night.HoldUntil(r.At, _quietMerchants.Contains(r.MerchantId), order.Kind == OrderKind.Frozen, order.ReadyAt);
            if (hold is null && room > 0)
            {
                room--;
                return new Row(r.OrderId, r.Kind, r.Event.EventId, false, leaseUntil, Attempts: 1);
            }
            return new Row(r.OrderId, r.Kind, r.Event.EventId, hold is not null, hold ?? now);
        }).ToList();
        var reserved = rows.Count(r => r.Attempts > 0);
        var handed = 0;
        try
        {
            var (added, leased) = await InsertAsync(connection, rows, now, ct);
            coordinator.Hand(leased);
            handed = leased.Count;
            foreach (var held in rows.Where(r => r.Held)) LogHeld(logger, held.OrderId, held.Kind.ToString(), held.DueAt);
            if (added > 0) sendingLoop.Wake();
        }
        finally
        {
            coordinator.Unreserve(reserved - handed + room);
        }
    }

    /// <summary>A message to queue; with <paramref name="Attempts"/> 1 it is leased to this node (until <paramref name="DueAt"/>) as it is queued.</summary>
    internal readonly record struct Row(Guid OrderId, CustomerNoticeKind Kind, Guid? EventId, bool Held, DateTimeOffset DueAt, int Attempts = 0);

    /// <summary>Adds the rows not there yet (unique order and kind); returns how many were added, and those added leased.</summary>
    internal static async Task<(int Added, List<CustomerNotificationCoordinator.Claimed> Leased)> InsertAsync(NpgsqlConnection connection, IReadOnlyList<Row> rows,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            insert into customer_notifications (order_id, kind, event_id, status, held, due_at, attempts, created_at)
            select o, k, e, 0, h, d, a, $6 from unnest($1, $2, $3, $4, $5, $7::int[]) with ordinality as r(o, k, e, h, d, a, n)
            order by n
            on conflict (order_id, kind) do nothing
            returning id, order_id, kind, held, attempts
            """, connection)
        {
            Parameters =
            {
                new() { Value = rows.Select(r => r.OrderId).ToArray() },
                new() { Value = rows.Select(r => r.Kind.ToString()).ToArray() },
                new() { Value = rows.Select(r => r.EventId).ToArray() },
                new() { Value = rows.Select(r => r.Held).ToArray() },
                new() { Value = rows.Select(r => r.DueAt).ToArray() },
                new() { Value = now },
                new() { Value = rows.Select(r => r.Attempts).ToArray() },
            },
        };
        var added = 0;
        var leased = new List<CustomerNotificationCoordinator.Claimed>();
        await using var reader = await insert.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            added++;
            if (reader.GetInt32(4) > 0)
                leased.Add(new(reader.GetInt64(0), reader.GetGuid(1), Enum.Parse<CustomerNoticeKind>(reader.GetString(2)), reader.GetBoolean(3), reader.GetInt32(4)));
        }
        // In id order, the order they were raised (the batch's order of events): the sender keeps it.
        leased.Sort((a, b) => a.Id.CompareTo(b.Id));
        return (added, leased);
    }

    /// <summary>What a quiet night decides on: the order's kind and when its goods are ready at the pickup.</summary>
    private static async Task<Dictionary<Guid, (OrderKind Kind, DateTimeOffset? ReadyAt)>> PickupsAsync(NpgsqlConnection connection, Guid[] orderIds, CancellationToken ct)
    {
        var found = new Dictionary<Guid, (OrderKind, DateTimeOffset?)>();
        if (orderIds.Length == 0) return found;
        await using var select = new NpgsqlCommand("select id, kind, ready_at from orders where id = any($1)", connection) { Parameters = { new() { Value = orderIds } } };
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found[reader.GetGuid(0)] = ((OrderKind)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer message {Kind} for order {OrderId} held by the merchant's quiet night until {DueAt:O}")]
    private static partial void LogHeld(ILogger logger, Guid orderId, string kind, DateTimeOffset dueAt);
}
