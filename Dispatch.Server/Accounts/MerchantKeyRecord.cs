namespace Dispatch.Server.Accounts;

/// <summary>A merchant API key. The secret is needed to check signatures, so it is kept encrypted (Data Protection), not hashed.</summary>
internal sealed class MerchantKeyRecord
{
    /// <summary>The public key id sent in Dispatch-Key ("dk_" and 20 hex digits).</summary>
    public string Id { get; set; } = "";

    public string Organisation { get; set; } = "";

    public string Name { get; set; } = "";

    public string ProtectedSecret { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }
}
