using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Server.Routing;

/// <summary>A route on the road network: GeoJSON LineString (lon, lat), metres, seconds, and where the ends were snapped to.</summary>
internal sealed record RoutePlan(
    string Zone,
    Vehicle Vehicle,
    double DistanceMetres,
    double DurationSeconds,
    string GeometryGeoJson,
    LatLon SnappedFrom,
    LatLon SnappedTo,
    double StraightLineMetres);
