using Dispatch.Core.Geo;
using Dispatch.Core.Routing;

namespace Dispatch.Tests.Core;

public sealed class RouteTrackTests
{
    // An L-shaped route in Monaco: east about 800 m, then north about 1,100 m.
    private static readonly LatLon A = new(43.7300, 7.4150), B = new(43.7300, 7.4250), C = new(43.7400, 7.4250);
    private static readonly RouteTrack Track = new(1, [A, B, C], 5.0);
    private static readonly double[] Fractions = [0.0, 0.25, 0.5, 0.75, 1.0];

    [Fact]
    public void Length_is_the_sum_of_the_legs()
    {
        Assert.Equal(GeoMath.DistanceMetres(A, B) + GeoMath.DistanceMetres(B, C), Track.LengthMetres, 6);
    }

    [Fact]
    public void A_point_on_the_route_is_on_it_and_its_progress_is_measured()
    {
        var halfway = GeoMath.Interpolate(A, B, 0.5);
        var (along, off) = Track.Locate(halfway);
        Assert.Equal(GeoMath.DistanceMetres(A, B) / 2, along, 0);
        Assert.True(off < 1);
        var (atCorner, _) = Track.Locate(B);
        Assert.Equal(GeoMath.DistanceMetres(A, B), atCorner, 0);
    }

    [Fact]
    public void Remaining_time_falls_as_the_courier_advances()
    {
        var times = Fractions.Select(f => Track.RemainingSeconds(GeoMath.Interpolate(A, B, f))).ToList();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.Second < p.First), string.Join(",", times));
        Assert.Equal(0, Track.RemainingSeconds(C));
        Assert.Equal((int)Math.Ceiling(Track.LengthMetres / 5.0), Track.RemainingSeconds(A));
    }

    [Fact]
    public void A_point_beside_the_route_reports_how_far_off_it_is()
    {
        var beside = new LatLon(43.7327, 7.4200); // about 300 m north of the first leg
        var (_, off) = Track.Locate(beside);
        Assert.InRange(off, 280, 320);
    }

    [Fact]
    public void Degenerate_routes_and_speeds_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RouteTrack(1, [A], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RouteTrack(1, [A, B], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RouteTrack(1, [A, B], double.NaN));
    }
}
