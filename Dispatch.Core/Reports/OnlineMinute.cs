namespace Dispatch.Core.Reports;

/// <summary>
/// A minute in which a courier sent at least one position, and the zone that position was in: the unit of online time
/// (the app sends fixes every few seconds while the courier is online, and none when offline).
/// </summary>
/// <param name="Minute">the minute's start</param>
public readonly record struct OnlineMinute(Guid CourierId, string Zone, DateTimeOffset Minute);
