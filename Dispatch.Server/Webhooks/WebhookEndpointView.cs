namespace Dispatch.Server.Webhooks;

/// <summary>An endpoint as listed: never its secret.</summary>
internal sealed record WebhookEndpointView(Guid Id, string MerchantId, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);
