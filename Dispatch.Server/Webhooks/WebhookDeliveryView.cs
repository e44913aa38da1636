using Dispatch.Server.Persistence;

namespace Dispatch.Server.Webhooks;

/// <summary>One line of an endpoint's delivery log.</summary>
internal sealed record WebhookDeliveryView(
    long Id,
    Guid EndpointId,
    Guid EventId,
    string EventType,
    Guid? OrderId,
    WebhookDeliveryState State,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt)
{
    public static WebhookDeliveryView Of(WebhookDeliveryRecord d) => new(d.Id, d.EndpointId, d.EventId, d.EventType, d.OrderId, d.State, d.Attempts,
        d.LastStatusCode, d.LastError, d.LastAttemptAt, d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.CreatedAt);
}
