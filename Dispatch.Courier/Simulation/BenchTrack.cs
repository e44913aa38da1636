using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Fix generator for the load benchmark: one courier driving between random points in the area, producing fixes
/// as fast as the benchmark asks. Fix times step ~100 ms apart but never run ahead of the wall clock (the server
/// rejects fixes from the future), so when the benchmark outpaces real time the spacing shrinks to
/// <see cref="MinSpacing"/>. Movement follows the fix times, so the implied speed always stays plausible.
/// </summary>
internal sealed class BenchTrack
{
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    /// <summary>Smallest step between fix times: 1 µs, the resolution PostgreSQL keeps, so no two fixes share a time.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromMicroseconds(1);

    /// <summary>A courier that fell behind jumps forward so its fixes are never near the server's age limit.</summary>
    public static readonly TimeSpan MaxLag = TimeSpan.FromMinutes(2);

    private readonly ZoneArea _area;
    private readonly Random _random;
    private readonly double _speed; // metres per second
    private LatLon _position;
    private LatLon _target;
    private DateTimeOffset _last;

    public BenchTrack(ZoneArea area, Random random, double metresPerSecond, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(random);
        _area = area;
        _random = random;
        _speed = metresPerSecond;
        _position = area.RandomPoint(random);
        _target = area.RandomPoint(random);
        _last = start;
    }

    public LatLon Position => _position;

    public DateTimeOffset LastTime => _last;

    public LocationFix[] NextBatch(int count, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var batch = new LocationFix[count];
        for (var i = 0; i < count; i++)
        {
            var time = NextTime(_last, now);
            var seconds = (time - _last).TotalSeconds;
            var from = _position;
            _position = GeoMath.StepToward(_position, _target, _speed * seconds);
            if (_position == _target) _target = _area.RandomPoint(_random);
            var heading = from == _position ? 0 : Mover.Bearing(from, _position);
            batch[i] = new LocationFix(time, _position.Lat, _position.Lon, 5, _speed, heading);
            _last = time;
        }
        return batch;
    }

    /// <summary>
    /// The next fix time after <paramref name="previous"/>: one <see cref="Spacing"/> later, but not after
    /// <paramref name="now"/> (then just <see cref="MinSpacing"/> later), and not more than <see cref="MaxLag"/> behind.
    /// Always strictly increasing.
    /// </summary>
    internal static DateTimeOffset NextTime(DateTimeOffset previous, DateTimeOffset now)
    {
        var next = previous + Spacing;
        if (next > now) next = previous + MinSpacing > now ? previous + MinSpacing : now;
        var floor = now - MaxLag;
        return next < floor ? floor : next;
    }
}
