using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Routing;

namespace Dispatch.Tests.Core;

public sealed class RoadGraphTests
{
    // A street A–B–C (two-way, 100 m each) and a one-way shortcut C→A of 50 m.
    private static readonly (long, double, double)[] Vertices = [(1, 43.7300, 7.4200), (2, 43.7309, 7.4200), (3, 43.7318, 7.4200), (9, 43.7500, 7.4400)];
    private static readonly (long, long, double, bool)[] Edges = [(1, 2, 100, false), (2, 3, 100, false), (3, 1, 50, true)];
    private static readonly RoadGraph Graph = new(Vertices, Edges);

    [Fact]
    public void One_way_streets_count_for_vehicles_but_not_on_foot()
    {
        var a = Graph.IndexOf(1);
        var c = Graph.IndexOf(3);
        var toA = Graph.MetresTo(a, walking: false);
        Assert.Equal(50, toA[c]);          // C → A by the one-way shortcut
        var toC = Graph.MetresTo(c, walking: false);
        Assert.Equal(200, toC[a]);         // A → C must go round by B
        Assert.Equal(50, Graph.MetresTo(c, walking: true)[a]); // on foot the shortcut works both ways
    }

    [Fact]
    public void Unconnected_vertices_are_unreachable_and_fall_back_to_the_straight_line()
    {
        Assert.True(double.IsPositiveInfinity(Graph.MetresTo(Graph.IndexOf(1), walking: false)[Graph.IndexOf(9)]));
        var island = new LatLon(43.7500, 7.4400);
        var target = new LatLon(43.7300, 7.4200);
        var fallback = StraightLineTravelTime.Instance.SecondsTo(target, [(island, Vehicle.Bicycle)])[0];
        Assert.Equal(fallback, Graph.SecondsTo(target, [(island, Vehicle.Bicycle)])[0], 6);
    }

    [Fact]
    public void Many_couriers_to_one_pickup_in_one_call_include_the_walk_onto_the_network()
    {
        var pickup = new LatLon(43.7300, 7.4200);
        var nearB = new LatLon(43.7309, 7.4201); // about 8 m east of B
        var seconds = Graph.SecondsTo(pickup, [(nearB, Vehicle.Bicycle), (new LatLon(43.7318, 7.4200), Vehicle.Car)]);
        var speed = VehicleSpeeds.TypicalMetresPerSecond(Vehicle.Bicycle);
        Assert.Equal((GeoMath.DistanceMetres(nearB, new LatLon(43.7309, 7.4200)) + 100) / speed, seconds[0], 6);
        Assert.Equal(50 / VehicleSpeeds.TypicalMetresPerSecond(Vehicle.Car), seconds[1], 6);
        Assert.Equal(Graph.IndexOf(2), Graph.NearestVertex(nearB));
    }

    [Fact]
    public void Dispatch_ranks_by_road_time_when_a_graph_is_given()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var pickup = new LatLon(43.7300, 7.4200);
        var atB = new CourierSnapshot(new Guid("00000000-0000-0000-0000-00000000000b"), "z", 43.7309, 7.4200, now, Equipment.None, Vehicle.Car, 2, 0, CourierActivity.Idle);
        var atC = new CourierSnapshot(new Guid("00000000-0000-0000-0000-00000000000c"), "z", 43.7318, 7.4200, now, Equipment.None, Vehicle.Car, 2, 0, CourierActivity.Idle);
        var request = new Dispatch.Core.Matching.DispatchRequest(Guid.NewGuid(), Dispatch.Core.Orders.OrderKind.Errand, false, pickup, new HashSet<Guid>());
        Dispatch.Core.Matching.Candidate[] candidates = [new(atB, 100), new(atC, 200)];

        var byLine = Dispatch.Core.Matching.CandidateRanker.Rank(request, candidates, now, TimeSpan.FromMinutes(1));
        var byRoad = Dispatch.Core.Matching.CandidateRanker.Rank(request, candidates, now, TimeSpan.FromMinutes(1), Graph);
        Assert.Equal(atB.CourierId, byLine.Eligible[0].CourierId); // nearer as the crow flies
        Assert.Equal(atC.CourierId, byRoad.Eligible[0].CourierId); // nearer by road: the one-way shortcut C→A
    }
}
