namespace Dispatch.Server.Accounts;

/// <summary>An account to create or reset: what the admin API and the command-line verbs pass.</summary>
internal sealed record AccountSpec(
    string? Username,
    string? Role,
    string? Password = null,
    string? DisplayName = null,
    string? Organisation = null,
    Guid? CourierId = null,
    string[]? Zones = null);
