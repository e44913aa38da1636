using Dispatch.Server.Persistence;

namespace Dispatch.Server.Customers;

/// <summary>
/// A customer who signed in by phone. <see cref="Id"/> is also their account's id (accounts.id, the token's "uid"), so
/// one id names them everywhere. The phone is stored encrypted and found by its keyed hash.
/// </summary>
internal sealed class CustomerRecord
{
    public Guid Id { get; set; }

    public byte[] PhoneHash { get; set; } = [];

    /// <summary>E.164, encrypted at rest (column phone_enc).</summary>
    [Encrypted]
    public string Phone { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
