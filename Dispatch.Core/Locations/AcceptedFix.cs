using Dispatch.Core.Geo;

namespace Dispatch.Core.Locations;

/// <summary>The last fix accepted for a courier: what the next one is checked against.</summary>
public readonly record struct AcceptedFix(DateTimeOffset Time, LatLon Position);
