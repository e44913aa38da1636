using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// Seconds to drive between two points, for <see cref="TripPlanner"/>. A struct that implements this gets a planner compiled
/// for it, which calls it directly: no delegate, and no closure object per plan.
/// </summary>
internal interface ILegSeconds
{
    double Seconds(LatLon from, LatLon to);

    /// <summary>The same, told the crow-fly distance the caller measured already (<see cref="GeoMath.DistanceMetres"/> from → to).</summary>
    double Seconds(LatLon from, LatLon to, double metres);
}

/// <summary>The legs of a caller's function.</summary>
internal readonly struct FuncLegSeconds(Func<LatLon, LatLon, double> legSeconds) : ILegSeconds
{
    public double Seconds(LatLon from, LatLon to) => legSeconds(from, to);

    public double Seconds(LatLon from, LatLon to, double metres) => legSeconds(from, to);
}
