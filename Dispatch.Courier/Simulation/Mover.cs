using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Moves a simulated courier toward a target at a set speed, one tick at a time (<see cref="GeoMath.StepToward"/>): in a
/// straight line, or along waypoints (a planned road route) ending at the target. Remembers the speed and heading to put
/// in the next fix.
/// </summary>
internal sealed class Mover(LatLon start)
{
    private readonly Queue<LatLon> _waypoints = new();

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
        _waypoints.Clear();
        Target = target;
        CruiseSpeed = metresPerSecond;
    }

    /// <summary>Drives through <paramref name="waypoints"/> in order, then on to <paramref name="target"/>.</summary>
    public void GoAlong(IEnumerable<LatLon> waypoints, LatLon target, double metresPerSecond)
    {
        GoTo(target, metresPerSecond);
        foreach (var w in waypoints) _waypoints.Enqueue(w);
    }

    /// <summary>Waypoints still ahead before the target.</summary>
    public int WaypointsLeft => _waypoints.Count;

    public void Stop()
    {
        _waypoints.Clear();
        Target = null;
        CurrentSpeed = 0;
    }

    /// <summary>Moves for <paramref name="elapsed"/>; returns the metres covered. Passes waypoints without slowing; stops exactly on the target.</summary>
    public double Advance(TimeSpan elapsed)
    {
        if (Target is not { } target || elapsed <= TimeSpan.Zero)
        {
            CurrentSpeed = 0;
            return 0;
        }
        var budget = CruiseSpeed * elapsed.TotalSeconds;
        var moved = 0.0;
        var start = Position;
        while (budget > 0)
        {
            var next = _waypoints.Count > 0 ? _waypoints.Peek() : target;
            var step = GeoMath.StepToward(Position, next, budget);
            var d = GeoMath.DistanceMetres(Position, step);
            Position = step;
            moved += d;
            budget -= d;
            if (step != next) break;
            if (_waypoints.Count == 0) break;
            _waypoints.Dequeue();
            if (d == 0 && budget <= 0) break;
        }
        if (moved > 0) Heading = Bearing(start, Position);
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
