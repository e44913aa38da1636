using System.Text.Json;

namespace Dispatch.Server.Outbox;

/// <summary>A committed outbox row as a consumer gets it. <see cref="EventId"/> is the idempotency key.</summary>
internal sealed record OutboxEvent(long Sequence, Guid EventId, string Kind, Guid? OrderId, DateTimeOffset CreatedAt, string Payload)
{
    // The payload parsed once and shared: every consumer of a batch reads the same event (six of them, at once). Payload
    // records are immutable, so sharing is safe; two consumers racing on the first read both parse, and one copy stays.
    private object? _read;

    public T Read<T>()
    {
        if (Volatile.Read(ref _read) is T read) return read;
        var parsed = JsonSerializer.Deserialize<T>(Payload, OutboxJson.Options)
            ?? throw new InvalidOperationException($"Outbox event {EventId} ({Kind}) has an empty payload.");
        Volatile.Write(ref _read, parsed);
        return parsed;
    }

    // Equality is the row's, not whether a consumer has read it yet.
    public bool Equals(OutboxEvent? other) =>
        other is not null && Sequence == other.Sequence && EventId == other.EventId && Kind == other.Kind && OrderId == other.OrderId
        && CreatedAt == other.CreatedAt && Payload == other.Payload;

    public override int GetHashCode() => HashCode.Combine(Sequence, EventId, Kind, OrderId, CreatedAt, Payload);
}

/// <summary>How payloads are written: camelCase, enums by name, so webhook bodies and stored rows read the same.</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
