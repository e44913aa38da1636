using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>How long couriers take to reach a point. Dispatch asks it for many couriers → one pickup per decision.</summary>
public interface ITravelTimeModel
{
    /// <summary>Seconds from each origin to <paramref name="target"/>, in the origins' order.</summary>
    double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins);
}
