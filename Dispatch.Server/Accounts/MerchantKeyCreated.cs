namespace Dispatch.Server.Accounts;

/// <summary>A new key: the secret is in this answer only.</summary>
internal sealed record MerchantKeyCreated(string KeyId, string Secret, string Organisation, string Name, DateTimeOffset CreatedAt);
