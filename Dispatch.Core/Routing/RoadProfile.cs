using Dispatch.Core.Couriers;

namespace Dispatch.Core.Routing;

/// <summary>
/// How one kind of vehicle uses the road network: which classes of road (OpenStreetMap <c>highway=*</c>) it may take,
/// how fast it goes on each, and whether one-way streets bind it. The pgRouting queries and the in-memory graph
/// both price edges with this, so routes, ETAs and dispatch travel times agree per vehicle.
/// A courier factor (below 1 for couriers slower than free flow) scales every speed.
/// </summary>
public sealed class RoadProfile
{
    private readonly Dictionary<string, double> _speeds;
    private readonly HashSet<string> _forbidden;

    private RoadProfile(Vehicle vehicle, bool followsOneWay, double defaultSpeed, Dictionary<string, double> speeds, string[] forbidden, double factor)
    {
        Vehicle = vehicle;
        FollowsOneWay = followsOneWay;
        Factor = factor;
        DefaultMetresPerSecond = defaultSpeed * factor;
        _speeds = speeds.ToDictionary(kv => kv.Key, kv => kv.Value * factor, StringComparer.Ordinal);
        _forbidden = new HashSet<string>(forbidden, StringComparer.Ordinal);
    }

    public Vehicle Vehicle { get; }

    /// <summary>Vehicles follow one-way streets; people on foot do not.</summary>
    public bool FollowsOneWay { get; }

    public double Factor { get; }

    /// <summary>Speed on a road class this profile does not list (a plain "road", a track), metres per second.</summary>
    public double DefaultMetresPerSecond { get; }

    /// <summary>Road classes with their own speed, metres per second (factor applied).</summary>
    public IReadOnlyDictionary<string, double> Speeds => _speeds;

    /// <summary>Road classes this vehicle never uses.</summary>
    public IReadOnlyCollection<string> Forbidden => _forbidden;

    /// <summary>Metres per second on a road of this class, or null when the vehicle may not use it.</summary>
    public double? MetresPerSecond(string? highway)
    {
        if (highway is null) return DefaultMetresPerSecond;
        if (_forbidden.Contains(highway)) return null;
        return _speeds.TryGetValue(highway, out var speed) ? speed : DefaultMetresPerSecond;
    }

    /// <summary>Seconds to travel an edge of this class, or null when forbidden.</summary>
    public double? Seconds(string? highway, double metres) => MetresPerSecond(highway) is { } speed ? metres / speed : null;

    private static readonly string[] MotorRoadsOnly = ["motorway", "motorway_link", "trunk", "trunk_link"];
    private static readonly string[] NotForWheels = ["footway", "pedestrian", "steps", "path", "corridor", "elevator", "bridleway"];
    private static readonly string[] NotForBikes = ["steps", "corridor", "elevator", "motorway", "motorway_link", "trunk", "trunk_link"];

    /// <summary>The profile for a vehicle; <paramref name="factor"/> scales every speed (1 = the typical urban speeds).</summary>
    public static RoadProfile For(Vehicle vehicle, double factor = 1.0)
    {
        if (!(factor > 0) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The courier speed factor must be a positive number.");
        return vehicle switch
        {
            Vehicle.Walking => new RoadProfile(vehicle, false, 1.3, new() { ["steps"] = 0.6 }, MotorRoadsOnly, factor),
            // Bicycles are pushed along footways and pedestrian streets; stairs and motor roads are out.
            Vehicle.Bicycle => new RoadProfile(vehicle, true, 4.5, new() { ["cycleway"] = 5.0, ["footway"] = 1.3, ["pedestrian"] = 1.3, ["path"] = 3.0, ["service"] = 3.5, ["living_street"] = 2.5 }, NotForBikes, factor),
            Vehicle.EBike => new RoadProfile(vehicle, true, 6.0, new() { ["cycleway"] = 6.5, ["footway"] = 1.3, ["pedestrian"] = 1.3, ["path"] = 3.5, ["service"] = 4.0, ["living_street"] = 2.5 }, NotForBikes, factor),
            Vehicle.Scooter => new RoadProfile(vehicle, true, 6.5, MotorSpeeds(primary: 9.0, secondary: 8.5, tertiary: 8.0, fast: 11.0), [.. NotForWheels, "cycleway"], factor),
            Vehicle.Car => new RoadProfile(vehicle, true, 6.5, MotorSpeeds(primary: 10.0, secondary: 9.0, tertiary: 8.5, fast: 16.0), [.. NotForWheels, "cycleway"], factor),
            _ => throw new ArgumentOutOfRangeException(nameof(vehicle), vehicle, "Unknown vehicle."),
        };
    }

    private static Dictionary<string, double> MotorSpeeds(double primary, double secondary, double tertiary, double fast) => new()
    {
        ["motorway"] = fast, ["motorway_link"] = fast * 0.7, ["trunk"] = fast * 0.9, ["trunk_link"] = fast * 0.6,
        ["primary"] = primary, ["primary_link"] = primary * 0.7,
        ["secondary"] = secondary, ["secondary_link"] = secondary * 0.7,
        ["tertiary"] = tertiary, ["tertiary_link"] = tertiary * 0.7,
        ["residential"] = 6.5, ["unclassified"] = 6.5, ["road"] = 6.0,
        ["service"] = 4.0, ["living_street"] = 2.5, ["track"] = 3.0,
    };
}
