namespace Dispatch.Server.Accounts;

/// <summary>The body of PUT /api/admin/accounts/by-id/{id}/zones: every zone the dispatcher is given (none is allowed).</summary>
internal sealed record AccountZones(string[]? Zones);
