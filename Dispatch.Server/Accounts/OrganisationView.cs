namespace Dispatch.Server.Accounts;

/// <summary>A merchant organisation: the users who sign in for it and its keys not revoked.</summary>
internal sealed record OrganisationView(string Organisation, int Users, int ActiveKeys);
