using System.Security.Claims;

namespace Dispatch.Server.Auth;

/// <summary>Who a customer token names, read where customers and the quotes they ask for need it (Guid.Empty when it names nobody).</summary>
internal static class CustomerPrincipal
{
    /// <summary>The customer's id: the account id ("uid") of a customer token.</summary>
    public static Guid CustomerId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(AccountClaims.AccountId), out var id) ? id : Guid.Empty;
}
