using System.Text.Json;

namespace Dispatch.Server.Outbox;

/// <summary>A committed outbox row as a consumer gets it. <see cref="EventId"/> is the idempotency key.</summary>
public sealed record OutboxEvent(long Sequence, Guid EventId, string Kind, Guid? OrderId, DateTimeOffset CreatedAt, string Payload)
{
    public T Read<T>() => JsonSerializer.Deserialize<T>(Payload, OutboxJson.Options)
        ?? throw new InvalidOperationException($"Outbox event {EventId} ({Kind}) has an empty payload.");
}

/// <summary>How payloads are written: camelCase, enums by name, so webhook bodies and stored rows read the same.</summary>
public static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
