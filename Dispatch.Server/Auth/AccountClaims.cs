namespace Dispatch.Server.Auth;

/// <summary>Claim types an account's access token carries besides sub, role and name.</summary>
internal static class AccountClaims
{
    /// <summary>The account's id: who acted, when sub is an organisation or a courier.</summary>
    public const string AccountId = "uid";

    /// <summary>A dispatcher's zones, one claim each (an array in the JWT).</summary>
    public const string Zones = "zones";

    /// <summary>The merchant key a signed request was made with.</summary>
    public const string KeyId = "key";
}
