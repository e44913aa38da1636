using System.Text.Json;

namespace Dispatch.Tests.Infrastructure;

/// <summary>One request a <see cref="WebhookReceiver"/> got: <see cref="Number"/> counts from 1 across all its paths.</summary>
public sealed record ReceivedWebhook(int Number, string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
{
    public int AnsweredWith { get; init; }

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public Guid EventId => Json.GetProperty("id").GetGuid();

    public Guid OrderId => Json.GetProperty("data").GetProperty("orderId").GetGuid();

    public string Status => Json.GetProperty("data").GetProperty("status").GetString() ?? "";
}
