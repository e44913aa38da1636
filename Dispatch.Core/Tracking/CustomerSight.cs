using Dispatch.Core.Geo;

namespace Dispatch.Core.Tracking;

/// <summary>
/// What the customer sees of the courier at one fix: the position shown (<paramref name="Coarse"/>: on the privacy grid,
/// before the goods are carried) and the ETA promised, seconds (the raw estimate plus the zone's pad).
/// </summary>
public readonly record struct CustomerSight(LatLon Shown, bool Coarse, int EtaSeconds);
