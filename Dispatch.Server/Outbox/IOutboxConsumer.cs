namespace Dispatch.Server.Outbox;

/// <summary>
/// Something that must follow committed changes: pushes, the Redis side, webhooks, notifications. The relay hands each
/// consumer every committed event, at least once: a batch whose handling failed or was cut by a crash comes again, so a
/// consumer is idempotent by <see cref="OutboxEvent.EventId"/>. Within a batch, an order has at most one event, and an
/// order's events come in the order they were committed. Batches may come at once (from several nodes, or several relay
/// workers of one), but never two holding events of the same order: an order's next event waits until the batch holding
/// the one before has been handled by every consumer. A consumer does quick local work (a push, a Redis write, a row in
/// its own table); slow or unreliable work (an HTTP call to a merchant, an SMS gateway) is queued by it and done elsewhere,
/// so that one failing receiver holds up nothing else.
/// </summary>
internal interface IOutboxConsumer
{
    /// <summary>For logs and metrics.</summary>
    string Name { get; }

    Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct);
}
