using Microsoft.AspNetCore.Identity;

namespace Dispatch.Server.Accounts;

/// <summary>
/// A person who signs in. One role each; what the access token's subject is depends on it: a merchant's organisation id,
/// a courier's <c>couriers</c> row id, else the username (the actor stored in order events and zone changes).
/// </summary>
internal sealed class AccountUser : IdentityUser<Guid>
{
    public string Role { get; set; } = "";

    public string? DisplayName { get; set; }

    /// <summary>Merchants: the organisation (today's merchant subject, e.g. "shop-1") shared by its users.</summary>
    public string? Organisation { get; set; }

    /// <summary>Couriers: the <c>couriers</c> row this account signs in as.</summary>
    public Guid? CourierId { get; set; }

    /// <summary>Dispatchers: the zones they may see and act on (the "zones" claim).</summary>
    public string[] Zones { get; set; } = [];

    /// <summary>Set by an admin; a suspended account cannot sign in or refresh.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The access token's "sub".</summary>
    public string Subject => Role switch
    {
        Auth.Roles.Merchant => Organisation ?? UserName!,
        Auth.Roles.Courier => CourierId?.ToString() ?? UserName!,
        _ => UserName!,
    };
}
