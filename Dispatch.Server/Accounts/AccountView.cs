namespace Dispatch.Server.Accounts;

/// <summary>An account as the admin console lists it: never its password or sessions.</summary>
internal sealed record AccountView(
    Guid Id, string Username, string Role, string? DisplayName, string? Organisation, Guid? CourierId, string[] Zones,
    DateTimeOffset? SuspendedAt, DateTimeOffset CreatedAt);
