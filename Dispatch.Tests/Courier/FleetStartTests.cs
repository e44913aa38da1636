extern alias CourierApp;

using Dispatch.Core.Geo;
using CourierApp::Dispatch.Courier.Api;
using CourierApp::Dispatch.Courier.Simulation;

namespace Dispatch.Tests.Courier;

/// <summary>Where a simulated courier starts: where the server last saw them, or anywhere in the zone when never seen.</summary>
public sealed class FleetStartTests
{
    private static readonly ZoneArea Area = new(new ZoneBounds(43.72, 7.40, 43.76, 7.44));

    [Fact]
    public void A_courier_the_server_has_seen_starts_where_it_saw_them()
    {
        var seen = new FleetCourier(Guid.NewGuid(), "sim-0001", "token", 43.7391, 7.4262);
        Assert.Equal(new LatLon(43.7391, 7.4262), FleetSimulation.StartPoint(seen, Area, new Random(1)));
    }

    [Fact]
    public void A_courier_never_seen_starts_anywhere_in_the_area_and_the_seed_stays_in_step()
    {
        var never = new FleetCourier(Guid.NewGuid(), "sim-0002", "token");
        var seen = never with { LastLat = 43.7391, LastLon = 7.4262 };
        var (a, b) = (new Random(7), new Random(7));
        var start = FleetSimulation.StartPoint(never, Area, a);
        Assert.True(Area.Contains(start));
        Assert.Equal(Area.RandomPoint(new Random(7)), start);
        FleetSimulation.StartPoint(seen, Area, b);
        Assert.Equal(a.Next(), b.Next()); // the same draws either way: later choices of a seeded run do not shift
    }

    [Fact]
    public void A_last_position_outside_the_area_is_brought_inside()
    {
        var outside = new FleetCourier(Guid.NewGuid(), "sim-0003", "token", 43.80, 7.4262);
        var start = FleetSimulation.StartPoint(outside, Area, new Random(1));
        Assert.True(Area.Contains(start));
        Assert.Equal(7.4262, start.Lon);
    }
}
