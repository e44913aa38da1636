namespace Dispatch.Server.Persistence;

/// <summary>
/// One event to one endpoint (table webhook_deliveries), queued by the outbox consumer and sent by the sender loop.
/// (endpoint, event) is unique, which makes queuing idempotent; an endpoint's deliveries of one order go out in
/// <see cref="Sequence"/> order.
/// </summary>
internal sealed class WebhookDeliveryRecord
{
    public long Id { get; set; }

    public Guid EndpointId { get; set; }

    public Guid EventId { get; set; }

    public string EventType { get; set; } = "";

    public Guid? OrderId { get; set; }

    /// <summary>The outbox row's id: commit order within an order.</summary>
    public long Sequence { get; set; }

    /// <summary>The exact JSON body sent (and signed) on every attempt.</summary>
    public string Body { get; set; } = "";

    public WebhookDeliveryState State { get; set; }

    /// <summary>Attempts made (or started: a claim counts one).</summary>
    public int Attempts { get; set; }

    /// <summary>When a pending delivery may be tried (again).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A node that claimed it is sending it until then; after that (a crash) another may.</summary>
    public DateTimeOffset? LeasedUntil { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
