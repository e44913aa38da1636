namespace Dispatch.Server.Zones;

/// <summary>A zone this node dispatches: its fencing token, how long this node has held it, and how long since it renewed.</summary>
internal sealed record LedZone(string Zone, long Token, TimeSpan HeldFor, TimeSpan RenewedAgo);
