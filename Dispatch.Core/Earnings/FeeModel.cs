using Dispatch.Core.Geo;

namespace Dispatch.Core.Earnings;

/// <summary>
/// What a courier earns for one delivered order: a base fee plus a rate per kilometre of the pickup → drop-off distance
/// (great-circle, so the fee does not depend on the route the courier chose; through its stops for a multi-stop errand). Cents.
/// </summary>
public sealed record FeeModel(int BaseCents, int PerKmCents)
{
    public int FeeCents(LatLon pickup, LatLon dropoff) => FeeCents(GeoMath.DistanceMetres(pickup, dropoff));

    /// <summary>A multi-stop errand: the great-circle legs pickup → each stop → drop-off, summed.</summary>
    public int FeeCents(IReadOnlyList<LatLon> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var metres = 0.0;
        for (var i = 1; i < path.Count; i++) metres += GeoMath.DistanceMetres(path[i - 1], path[i]);
        return FeeCents(metres);
    }

    /// <param name="distanceMetres">pickup → drop-off, metres</param>
    public int FeeCents(double distanceMetres)
    {
        if (!double.IsFinite(distanceMetres) || distanceMetres < 0) throw new ArgumentOutOfRangeException(nameof(distanceMetres), "Distance must be a non-negative number of metres.");
        return BaseCents + (int)Math.Round(PerKmCents * distanceMetres / 1000, MidpointRounding.AwayFromZero);
    }
}
