namespace Dispatch.Server.Persistence;

/// <summary>
/// One thing that must follow a committed change (table outbox): written in the change's own transaction, handed to the
/// consumers by the relay after commit. Holds no personal data: consumers read what they need (a phone, a name) when they act.
/// </summary>
internal sealed class OutboxRecord
{
    /// <summary>Increasing in insert order; an order's events are inserted under its row lock, so they are in commit order.</summary>
    public long Id { get; set; }

    /// <summary>The consumers' idempotency key (a version 7 Guid).</summary>
    public Guid EventId { get; set; }

    /// <summary>What happened, one of <see cref="Outbox.OutboxKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The order it concerns; events of one order are handed over one after the other, in order.</summary>
    public Guid? OrderId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>JSON of the kind's payload record.</summary>
    public string Payload { get; set; } = "{}";

    /// <summary>Set by the relay once every consumer has had the event; null while it is to do.</summary>
    public DateTimeOffset? ProcessedAt { get; set; }
}
