namespace Dispatch.Server.Webhooks;

/// <summary>Body of POST /api/webhooks. <paramref name="MerchantId"/> only from an admin (a merchant registers for itself).</summary>
internal sealed record RegisterWebhookRequest(string? Url, IReadOnlyList<string?>? Events, string? MerchantId = null);
