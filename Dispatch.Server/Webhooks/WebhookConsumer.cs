using System.Text.Json;
using Dispatch.Server.Outbox;
using Npgsql;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Queues merchant webhooks for committed order events: one INSERT … SELECT per batch adds a delivery per endpoint of the
/// event's merchant that subscribed to its type. Quick and idempotent (a batch handed over again hits the unique
/// (endpoint, event) and adds nothing); the sending is <see cref="WebhookSender"/>'s.
/// </summary>
public sealed partial class WebhookConsumer(NpgsqlDataSource dataSource, WebhookSender sender, TimeProvider clock, ILogger<WebhookConsumer> logger)
    : IOutboxConsumer
{
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

        var now = clock.GetUtcNow();
        await using var insert = dataSource.CreateCommand("""
            insert into webhook_deliveries (endpoint_id, event_id, event_type, order_id, sequence, body, state, attempts, next_attempt_at, created_at)
            select w.id, x.event_id, x.kind, x.order_id, x.seq, x.body, 0, 0, $7, $7
            from unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::text[]) as x(event_id, kind, order_id, seq, merchant_id, body)
            join webhook_endpoints w on w.merchant_id = x.merchant_id and x.kind = any(w.events)
            order by x.seq
            on conflict (endpoint_id, event_id) do nothing
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = kinds.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = orderIds.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = sequences.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = merchants.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = bodies.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        if (await insert.ExecuteNonQueryAsync(ct) > 0) sender.Wake();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox event {EventId} ({Kind}) has a payload webhooks cannot read; no webhook is sent for it")]
    private static partial void LogUnreadable(ILogger logger, Guid eventId, string kind, Exception ex);
}
