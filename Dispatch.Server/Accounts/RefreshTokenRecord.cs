namespace Dispatch.Server.Accounts;

/// <summary>
/// One refresh token, stored as the SHA-256 of its text. Tokens of one sign-in form a family: each refresh spends one and
/// adds its successor, and a spent one shown again revokes the family.
/// </summary>
internal sealed class RefreshTokenRecord
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid FamilyId { get; set; }

    public byte[] TokenHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? SpentAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why it was revoked: sign-out, reuse, suspended.</summary>
    public string? RevokedReason { get; set; }
}
