using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>Crow-fly distance × a detour factor ÷ the vehicle's typical speed: the model when a zone has no road network.</summary>
internal sealed class StraightLineTravelTime(double detourFactor = StraightLineTravelTime.DefaultDetourFactor) : ITravelTimeModel
{
    /// <summary>Streets are not straight: road distance is about 1.3 × the crow-fly distance in cities.</summary>
    public const double DefaultDetourFactor = 1.3;

    public static StraightLineTravelTime Instance { get; } = new();

    public double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins)
    {
        var seconds = new double[origins.Count];
        for (var i = 0; i < seconds.Length; i++)
        {
            seconds[i] = GeoMath.DistanceMetres(origins[i].From, target) * detourFactor / VehicleSpeeds.TypicalMetresPerSecond(origins[i].Vehicle);
        }
        return seconds;
    }
}
