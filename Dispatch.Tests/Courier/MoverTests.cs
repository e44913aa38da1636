extern alias CourierApp;

using Dispatch.Core.Geo;
using CourierApp::Dispatch.Courier.Simulation;

namespace Dispatch.Tests.Courier;

/// <summary>The simulated courier's movement: straight lines, and a planned route's waypoints.</summary>
public sealed class MoverTests
{
    private static readonly LatLon A = new(43.7300, 7.4200);
    private static readonly LatLon B = new(43.7300, 7.4250);   // ~400 m east of A
    private static readonly LatLon C = new(43.7340, 7.4250);   // ~445 m north of B

    [Fact]
    public void Along_waypoints_the_courier_turns_at_each_and_covers_exactly_its_speed()
    {
        var mover = new Mover(A);
        mover.GoAlong([B], C, 10);
        var ab = GeoMath.DistanceMetres(A, B);

        var moved = mover.Advance(TimeSpan.FromSeconds(50)); // 500 m: past B, on toward C
        Assert.Equal(500, moved, 0.5);
        Assert.Equal(0, mover.WaypointsLeft);
        Assert.Equal(500 - ab, GeoMath.DistanceMetres(B, mover.Position), 0.5);
        Assert.Equal(B.Lon, mover.Position.Lon, 6); // on the B→C leg, not cutting the corner

        mover.Advance(TimeSpan.FromMinutes(5));
        Assert.True(mover.Arrived);
        Assert.Equal(C, mover.Position);
    }

    [Fact]
    public void Going_straight_clears_a_previous_route()
    {
        var mover = new Mover(A);
        mover.GoAlong([C], B, 10);
        mover.GoTo(B, 10);
        Assert.Equal(0, mover.WaypointsLeft);
        mover.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(A.Lat, mover.Position.Lat, 6); // due east, straight at B
    }
}
