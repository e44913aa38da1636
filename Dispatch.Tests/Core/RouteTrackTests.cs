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

    [Fact]
    public void Out_and_back_along_one_street_keeps_progress_going_forward()
    {
        // Out east 800 m and back west along the same street to a drop-off near the start: every point is on two legs.
        var back = new LatLon(43.7300, 7.4160);
        var outAndBack = new RouteTrack(1, [A, B, back], 5.0);
        var quarter = GeoMath.Interpolate(A, B, 0.25);
        Assert.Equal(GeoMath.DistanceMetres(A, B) * 0.25, outAndBack.Locate(quarter, previousAlongMetres: 0).AlongMetres, 0); // on the way out
        var onTheWayBack = outAndBack.Locate(quarter, previousAlongMetres: GeoMath.DistanceMetres(A, B) + 100);
        Assert.InRange(onTheWayBack.AlongMetres, GeoMath.DistanceMetres(A, B) * 1.75 - 10, GeoMath.DistanceMetres(A, B) * 1.75 + 10); // same spot, later on the route
        Assert.True(outAndBack.SecondsLeft(onTheWayBack) < outAndBack.SecondsLeft(outAndBack.Locate(quarter, 0)));
    }

    [Fact]
    public void A_little_gps_jitter_backwards_is_not_a_u_turn_but_a_real_one_is_followed()
    {
        var along = GeoMath.DistanceMetres(A, B) * 0.5;
        var slightlyBack = GeoMath.Interpolate(A, B, 0.48);
        Assert.Equal(GeoMath.DistanceMetres(A, B) * 0.48, Track.Locate(slightlyBack, along).AlongMetres, 0);
        var farBack = GeoMath.Interpolate(A, B, 0.1); // the only place near: progress follows the courier back
        Assert.Equal(GeoMath.DistanceMetres(A, B) * 0.1, Track.Locate(farBack, along).AlongMetres, 0);
    }

    [Fact]
    public void Walking_the_last_metres_to_an_off_street_door_is_not_straying()
    {
        var door = new LatLon(43.7400, 7.4270);            // ~160 m east of the route's end, off the street
        var midway = new LatLon(43.7350, 7.4270);           // as far off the route, but near no stop
        var near = new LatLon(43.7350, 7.4256);             // ~50 m off

        var atDoor = Track.Locate(door);
        Assert.True(atDoor.OffRouteMetres > 120);
        Assert.False(Track.Strayed(door, atDoor.OffRouteMetres, [A, door], 80));
        Assert.True(Track.Strayed(midway, Track.Locate(midway).OffRouteMetres, [A, door], 80));
        Assert.False(Track.Strayed(near, Track.Locate(near).OffRouteMetres, [A, door], 80));
    }
}
