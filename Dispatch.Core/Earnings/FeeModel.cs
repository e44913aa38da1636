using Dispatch.Core.Geo;

namespace Dispatch.Core.Earnings;

/// <summary>
/// What a courier earns for one delivered order: a base fee plus a rate per kilometre of the pickup → drop-off distance
/// (great-circle, so the fee does not depend on the route the courier chose). Cents.
/// </summary>
public sealed record FeeModel(int BaseCents, int PerKmCents)
{
    public int FeeCents(LatLon pickup, LatLon dropoff) => FeeCents(GeoMath.DistanceMetres(pickup, dropoff));

    /// <param name="distanceMetres">pickup → drop-off, metres</param>
    public int FeeCents(double distanceMetres)
    {
        if (!double.IsFinite(distanceMetres) || distanceMetres < 0) throw new ArgumentOutOfRangeException(nameof(distanceMetres), "Distance must be a non-negative number of metres.");
        return BaseCents + (int)Math.Round(PerKmCents * distanceMetres / 1000, MidpointRounding.AwayFromZero);
    }
}
