namespace Dispatch.Server.Accounts;

/// <summary>A key as listed: never its secret.</summary>
internal sealed record MerchantKeyView(string KeyId, string Organisation, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
