namespace Dispatch.Core.Pricing;

/// <summary>A quote's trip: metres and seconds, by road when the zone has a network, else straight line × a detour factor.</summary>
public sealed record TripEstimate(double Metres, double TravelSeconds, bool ByRoad)
{
    /// <summary>The straight-line estimate through the places in order (haversine), stretched by <paramref name="detourFactor"/>.</summary>
    public static TripEstimate StraightLine(IReadOnlyList<Geo.LatLon> places, double detourFactor, double metresPerSecond)
    {
        ArgumentNullException.ThrowIfNull(places);
        var metres = 0.0;
        for (var i = 1; i < places.Count; i++) metres += Geo.GeoMath.DistanceMetres(places[i - 1], places[i]);
        metres *= detourFactor;
        return new TripEstimate(metres, metres / metresPerSecond, ByRoad: false);
    }

    /// <summary>
    /// Minutes from ordering to the drop-off: the lead time to find a courier and reach the pickup, the travel, and a
    /// service time at each stop on the way; rounded up to whole minutes.
    /// </summary>
    public int EtaMinutes(int leadMinutes, int minutesPerStop, int extraStops) =>
        leadMinutes + (int)Math.Ceiling(TravelSeconds / 60.0) + (minutesPerStop * extraStops);
}
