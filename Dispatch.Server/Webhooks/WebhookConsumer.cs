using System.Text.Json;
using Dispatch.Server.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Queues merchant webhooks for committed order events: one INSERT … SELECT per batch adds a delivery per endpoint of the
/// event's merchant that subscribed to its type, and leases the ones that are first of their order for
/// <see cref="WebhookSender"/> to send at once. Quick and idempotent (a batch handed over again hits the unique
/// (endpoint, event) and adds nothing, so nothing is sent again by it).
/// </summary>
internal sealed partial class WebhookConsumer(
    NpgsqlDataSource dataSource,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    DispatchMetrics metrics,
    TimeProvider clock,
    ILogger<WebhookConsumer> logger) : IOutboxConsumer
{
    /// <summary>
    /// One delivery per subscribed endpoint; one with no pending delivery of its (endpoint, order) and none before it in the
    /// batch is free (the relay hands an order's events in order, so none later is queued yet), and the first $8 free ones by sequence are
    /// leased (attempt 1) and returned with their endpoint's URL and secrets; the others return with nulls, and whether they were free. The pending check
    /// is a scalar subquery with LIMIT so it stays an index probe per row (an anti join was planned as a scan of every
    /// pending delivery when the statistics saw few). A queuing that races the recording of the one before (which does not
    /// see it) leaves it pending for the claim loop: an order's deliveries are never leased two at a time. The endpoints are
    /// locked FOR KEY SHARE once per statement, in place of a foreign key's check per row: an endpoint deleted meanwhile is
    /// skipped, or its deletion waits for this statement and then deletes what it queued.
    /// </summary>
    private const string Sql = """
        with ep as materialized (
          select id, merchant_id, events from webhook_endpoints where merchant_id = any($5::text[]) for key share),
        q as (
          select w.id as endpoint_id, x.event_id, x.kind, x.order_id, x.seq, x.body,
                 (x.order_id is null
                  or (row_number() over (partition by w.id, x.order_id order by x.seq) = 1
                      and (select p.id from webhook_deliveries p
                           where p.state = 0 and p.endpoint_id = w.id and p.order_id = x.order_id limit 1) is null)) as free
          from unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::text[]) as x(event_id, kind, order_id, seq, merchant_id, body)
          join ep w on w.merchant_id = x.merchant_id and x.kind = any(w.events)),
        chosen as (
          select q.*, q.free and row_number() over (partition by q.free order by q.seq) <= $8 as lease from q),
        queued as (
          insert into webhook_deliveries (endpoint_id, event_id, event_type, order_id, sequence, body, state, attempts, next_attempt_at, created_at,
                                          leased_until, last_attempt_at)
          select endpoint_id, event_id, kind, order_id, seq, body, 0, case when lease then 1 else 0 end, $7, $7,
                 case when lease then $9 end, case when lease then $7 end
          from chosen
          order by seq
          on conflict (endpoint_id, event_id) do nothing
          returning id, endpoint_id, event_id, event_type, body, attempts, leased_until)
        select q.id, q.endpoint_id, q.event_id, q.event_type, q.body, q.attempts, w.url, w.secret_encrypted,
               w.previous_secret_encrypted, w.previous_secret_until, c.free
        from queued q join chosen c on c.endpoint_id = q.endpoint_id and c.event_id = q.event_id
        left join webhook_endpoints w on w.id = q.endpoint_id and q.leased_until is not null
        """;

    public string Name => "webhooks";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var eventIds = new List<Guid>(events.Count);
        var kinds = new List<string>(events.Count);
        var orderIds = new List<Guid?>(events.Count);
        var sequences = new List<long>(events.Count);
        var merchants = new List<string>(events.Count);
        var bodies = new List<string>(events.Count);
        foreach (var e in events)
        {
            (string MerchantId, string Body)? built;
            try
            {
                built = WebhookBodies.Build(e);
            }
            catch (JsonException ex)
            {
                // A payload that cannot be read never will be: retrying the batch would hold up every event behind it.
                LogUnreadable(logger, e.EventId, e.Kind, ex);
                continue;
            }
            if (built is not { } b) continue;
            eventIds.Add(e.EventId);
            kinds.Add(e.Kind);
            orderIds.Add(e.OrderId);
            sequences.Add(e.Sequence);
            merchants.Add(b.MerchantId);
            bodies.Add(b.Body);
        }
        if (eventIds.Count == 0) return;

        // Deliveries with nothing pending before them are leased as they are queued and sent at once, as many as the sender
        // has room for; the rest wait for the claim loop (or for the one before them to hand on).
        var room = sender.Reserve(eventIds.Count);
        var sent = 0;
        try
        {
            var now = clock.GetUtcNow();
            await using var insert = dataSource.CreateCommand(Sql);
            foreach (var value in new object[] { eventIds.ToArray(), kinds.ToArray(), orderIds.ToArray(), sequences.ToArray(), merchants.ToArray(), bodies.ToArray(),
                         now, room, now + options.Value.Lease })
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            var leased = new List<ClaimedDelivery>();
            var free = new List<long>(); // free, but no room was left for them
            var behind = false; // queued behind a pending delivery of their order
            await using (var reader = await insert.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    if (!reader.IsDBNull(6)) leased.Add(ClaimedDelivery.Read(reader));
                    else if (reader.GetBoolean(10)) free.Add(reader.GetInt64(0));
                    else behind = true;
                }
            }
            // Sent only once the reader is closed, i.e. the insert committed: a result recorded before would find no row and be lost.
            foreach (var d in leased) sender.Send(d);
            sent = leased.Count;
            metrics.WebhooksClaimed(sent, "queued");
            // The free ones wait at the sender by id for room; those behind one of their order are handed on by its recording.
            if (free.Count > 0 || behind) sender.Parked(free, behind);
        }
        finally
        {
            sender.Unreserve(room - sent);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox event {EventId} ({Kind}) has a payload webhooks cannot read; no webhook is sent for it")]
    private static partial void LogUnreadable(ILogger logger, Guid eventId, string kind, Exception ex);
}
