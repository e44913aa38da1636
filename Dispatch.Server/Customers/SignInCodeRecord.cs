namespace Dispatch.Server.Customers;

/// <summary>
/// A one-time code sent to a phone: only its keyed hash is stored (HMAC with the token signing key, so the table alone does
/// not give the code away), for minutes, with the count of wrong tries.
/// </summary>
internal sealed class SignInCodeRecord
{
    public Guid Id { get; set; }

    public byte[] PhoneHash { get; set; } = [];

    public byte[] CodeHash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int Tries { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
