using System.Security.Claims;
using Dispatch.Core.Zones;

namespace Dispatch.Server.Auth;

/// <summary>A caller's <see cref="DispatcherScope"/> from their token: a dispatcher account's zones claims; everything for anyone else.</summary>
internal static class ZoneScope
{
    public static DispatcherScope Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Development tokens (no account id) stand for the demo's one dispatcher, who sees every zone; /dev is off in production.
        if (user.IsInRole(Roles.Admin) || !user.IsInRole(Roles.Dispatcher) || user.FindFirst(AccountClaims.AccountId) is null) return DispatcherScope.Everywhere;
        return new DispatcherScope(user.FindAll(AccountClaims.Zones).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}
