namespace Dispatch.Server.Fleet;

/// <summary>One change: the courier, their zone and, unless they left it, the encoded state written to Redis.</summary>
internal readonly record struct CourierMove(CourierChange Change, Guid CourierId, string Zone, byte[]? State);
