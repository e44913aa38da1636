using System.Security.Claims;

namespace Dispatch.Server.Auth;

/// <summary>
/// The user a hub connection keeps for its whole life, cut down from what JWT validation builds: that identity holds the
/// parsed token (its header and payload dictionaries, the raw text) and a second copy of every claim, ~3 KB per idle
/// connection. The copy keeps what the server reads (sub, role, name, uid, zones…) and drops what only validation needs.
/// The token's expiry still closes the connection: it travels in the authentication properties, not in the claims.
/// </summary>
internal static class HubPrincipal
{
    // Checked by validation already; no code reads them afterwards.
    private static readonly HashSet<string> ValidationOnly = new(StringComparer.Ordinal) { "iss", "aud", "exp", "nbf", "iat", "jti" };

    public static ClaimsPrincipal Slim(ClaimsPrincipal validated)
    {
        var from = validated.Identity as ClaimsIdentity;
        var claims = validated.Claims.Where(c => !ValidationOnly.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, from?.AuthenticationType ?? "Bearer",
            from?.NameClaimType ?? ClaimsIdentity.DefaultNameClaimType, from?.RoleClaimType ?? ClaimsIdentity.DefaultRoleClaimType));
    }
}
