using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Moves a simulated courier in a straight line toward a target at a set speed, one tick at a time
/// (<see cref="GeoMath.StepToward"/>), and remembers the speed and heading to put in the next fix.
/// </summary>
internal sealed class Mover(LatLon start)
{
    public LatLon Position { get; private set; } = start;

    public LatLon? Target { get; private set; }

    /// <summary>Commanded speed, metres per second.</summary>
    public double CruiseSpeed { get; private set; }

    /// <summary>Speed over the last step, metres per second.</summary>
    public double CurrentSpeed { get; private set; }

    /// <summary>Degrees clockwise from north, of the last step that moved.</summary>
    public double Heading { get; private set; }

    public bool Arrived => Target is not { } target || target == Position;

    public void GoTo(LatLon target, double metresPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(metresPerSecond);
        Target = target;
        CruiseSpeed = metresPerSecond;
    }

    public void Stop()
    {
        Target = null;
        CurrentSpeed = 0;
    }

    /// <summary>Moves for <paramref name="elapsed"/>; returns the metres covered. Stops exactly on the target.</summary>
    public double Advance(TimeSpan elapsed)
    {
        if (Target is not { } target || elapsed <= TimeSpan.Zero)
        {
            CurrentSpeed = 0;
            return 0;
        }
        var next = GeoMath.StepToward(Position, target, CruiseSpeed * elapsed.TotalSeconds);
        var moved = GeoMath.DistanceMetres(Position, next);
        if (moved > 0) Heading = Bearing(Position, next);
        Position = next;
        CurrentSpeed = moved / elapsed.TotalSeconds;
        return moved;
    }

    public LocationFix ToFix(DateTimeOffset time, double accuracyMetres) =>
        new(time, Position.Lat, Position.Lon, accuracyMetres, CurrentSpeed, Heading);

    /// <summary>Initial great-circle bearing from a to b, degrees clockwise from north in [0, 360).</summary>
    public static double Bearing(LatLon a, LatLon b)
    {
        var lat1 = a.Lat * Math.PI / 180;
        var lat2 = b.Lat * Math.PI / 180;
        var dLon = (b.Lon - a.Lon) * Math.PI / 180;
        var y = Math.Sin(dLon) * Math.Cos(lat2);
        var x = Math.Cos(lat1) * Math.Sin(lat2) - Math.Sin(lat1) * Math.Cos(lat2) * Math.Cos(dLon);
        var degrees = Math.Atan2(y, x) * 180 / Math.PI;
        return (degrees + 360) % 360;
    }
}
