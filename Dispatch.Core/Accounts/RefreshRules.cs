namespace Dispatch.Core.Accounts;

/// <summary>What a presented refresh token leads to. Pure: the caller passes the token's state and the clock.</summary>
public static class RefreshRules
{
    public static RefreshVerdict Judge(bool spent, bool revoked, bool accountSuspended, DateTimeOffset expiresAt, DateTimeOffset now) =>
        // A spent token shown again was copied: whoever holds its successor may be the thief, so the whole family goes.
        spent && !revoked ? RefreshVerdict.Reused
        : revoked ? RefreshVerdict.Revoked
        : accountSuspended ? RefreshVerdict.Suspended
        : expiresAt <= now ? RefreshVerdict.Expired
        : RefreshVerdict.Rotate;
}
