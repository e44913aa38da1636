namespace Dispatch.Server.Webhooks;

/// <summary>What one POST of a claimed delivery came to: a 2xx (<paramref name="Delivered"/>), another status, or an error (timeout, refused connection).</summary>
internal sealed record DeliveryResult(ClaimedDelivery Delivery, bool Delivered, int? StatusCode, string? Error, DateTimeOffset At);
