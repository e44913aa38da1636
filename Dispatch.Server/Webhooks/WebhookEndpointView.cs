namespace Dispatch.Server.Webhooks;

/// <summary>An endpoint as listed: never its secret.</summary>
public sealed record WebhookEndpointView(Guid Id, string MerchantId, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);
