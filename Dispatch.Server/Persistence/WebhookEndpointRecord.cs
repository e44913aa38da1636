namespace Dispatch.Server.Persistence;

/// <summary>A merchant's webhook endpoint (table webhook_endpoints): where its events are POSTed, and which.</summary>
internal sealed class WebhookEndpointRecord
{
    public Guid Id { get; set; }

    public string MerchantId { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Subscribed event types (<see cref="Dispatch.Core.Webhooks.WebhookEventTypes"/>).</summary>
    public string[] Events { get; set; } = [];

    /// <summary>The signing secret, encrypted with Data Protection (it must be read back to sign, so it is not hashed).</summary>
    public string SecretEncrypted { get; set; } = "";

    /// <summary>The secret before the last rotation, encrypted: it still signs, beside the new one, until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecretEncrypted { get; set; }

    public DateTimeOffset? PreviousSecretUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
