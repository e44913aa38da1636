namespace Dispatch.Server.Webhooks;

/// <summary>The answer to a registration: the only time the signing secret is shown.</summary>
internal sealed record RegisteredWebhook(Guid Id, string MerchantId, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);
