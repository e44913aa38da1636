namespace Dispatch.Server.Accounts;

/// <summary>
/// An account suspended, with <paramref name="RevokedSessions"/> signed out; <paramref name="EvictionDeferred"/>: Redis was
/// unreachable, so a courier account's open connections are closed when it returns rather than now.
/// </summary>
internal sealed record AccountSuspension(int RevokedSessions, bool EvictionDeferred);
