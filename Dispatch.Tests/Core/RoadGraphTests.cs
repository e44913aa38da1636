using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Routing;

namespace Dispatch.Tests.Core;

public sealed class RoadGraphTests
{
    // A street A–B–C (two-way, 100 m each) and a one-way shortcut C→A of 50 m.
    private static readonly (long, double, double)[] Vertices = [(1, 43.7300, 7.4200), (2, 43.7309, 7.4200), (3, 43.7318, 7.4200), (9, 43.7500, 7.4400)];
    private static readonly (long, long, double, bool, string?)[] Edges = [(1, 2, 100, false, "residential"), (2, 3, 100, false, "residential"), (3, 1, 50, true, "residential")];
    private static readonly RoadGraph Graph = new(Vertices, Edges);

    private static double Speed(Vehicle vehicle, string highway = "residential") => RoadProfile.For(vehicle).MetresPerSecond(highway)!.Value;

    [Fact]
    public void One_way_streets_count_for_vehicles_but_not_on_foot()
    {
        var a = Graph.IndexOf(1);
        var c = Graph.IndexOf(3);
        var toA = Graph.SecondsTo(a, RoadProfile.For(Vehicle.Bicycle));
        Assert.Equal(50 / Speed(Vehicle.Bicycle), toA[c], 9);          // C → A by the one-way shortcut
        var toC = Graph.SecondsTo(c, RoadProfile.For(Vehicle.Bicycle));
        Assert.Equal(200 / Speed(Vehicle.Bicycle), toC[a], 9);         // A → C must go round by B
        Assert.Equal(50 / Speed(Vehicle.Walking), Graph.SecondsTo(c, RoadProfile.For(Vehicle.Walking))[a], 9); // on foot the shortcut works both ways
    }

    [Fact]
    public void Each_vehicle_keeps_to_its_roads_and_speeds()
    {
        // A–B by a 300 m road, or by a 100 m footway with steps: people walk the stairs, cars drive round, bikes cannot climb them.
        (long, long, double, bool, string?)[] edges = [(1, 2, 300, false, "secondary"), (1, 3, 60, false, "footway"), (3, 2, 40, false, "steps")];
        var graph = new RoadGraph(Vertices, edges);
        var b = graph.IndexOf(2);
        var a = graph.IndexOf(1);
        Assert.Equal(60 / 1.3 + 40 / 0.6, graph.SecondsTo(b, RoadProfile.For(Vehicle.Walking))[a], 9);
        Assert.Equal(300 / Speed(Vehicle.Car, "secondary"), graph.SecondsTo(b, RoadProfile.For(Vehicle.Car))[a], 9);
        Assert.Equal(300 / Speed(Vehicle.Bicycle, "secondary"), graph.SecondsTo(b, RoadProfile.For(Vehicle.Bicycle))[a], 9);
        Assert.True(double.IsPositiveInfinity(graph.SecondsTo(graph.IndexOf(3), RoadProfile.For(Vehicle.Car))[a]), "cars never take a footway");
        Assert.Null(RoadProfile.For(Vehicle.Scooter).MetresPerSecond("pedestrian"));
        Assert.True(Speed(Vehicle.Car, "primary") > Speed(Vehicle.Car, "residential"));
    }

    [Fact]
    public void The_courier_factor_scales_every_speed()
    {
        var slow = new RoadGraph(Vertices, Edges, courierFactor: 0.5);
        var a = Graph.IndexOf(1);
        var c = Graph.IndexOf(3);
        Assert.Equal(2 * Graph.SecondsTo(c, Graph.Profile(Vehicle.Car))[a], slow.SecondsTo(c, slow.Profile(Vehicle.Car))[a], 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => RoadProfile.For(Vehicle.Car, double.NaN));
    }

    [Fact]
    public void Unconnected_vertices_are_unreachable_and_fall_back_to_the_straight_line()
    {
        Assert.True(double.IsPositiveInfinity(Graph.SecondsTo(Graph.IndexOf(1), RoadProfile.For(Vehicle.Car))[Graph.IndexOf(9)]));
        var island = new LatLon(43.7500, 7.4400);
        var target = new LatLon(43.7300, 7.4200);
        var fallback = StraightLineTravelTime.Instance.SecondsTo(target, [(island, Vehicle.Bicycle)])[0];
        Assert.Equal(fallback, Graph.SecondsTo(target, [(island, Vehicle.Bicycle)])[0], 6);
    }

    [Fact]
    public void A_pickup_by_a_one_way_exit_joins_the_network_where_the_vehicle_can_reach_it()
    {
        // A–B two-way (100 m); D, 30 m beyond B, is only a way out (one-way D → B): no scooter can get to D.
        (long, double, double)[] vertices = [(1, 43.7300, 7.4200), (2, 43.7309, 7.4200), (4, 43.73117, 7.4200)];
        (long, long, double, bool, string?)[] edges = [(1, 2, 100, false, "residential"), (4, 2, 30, true, "residential")];
        var graph = new RoadGraph(vertices, edges);
        var pickup = new LatLon(43.73117, 7.4200);
        var courier = new LatLon(43.7300, 7.4200);
        Assert.Equal(graph.IndexOf(4), graph.NearestVertex(pickup));
        Assert.Equal(graph.IndexOf(2), graph.NearestVertex(pickup, Vehicle.Scooter));
        Assert.Equal(graph.IndexOf(4), graph.NearestVertex(pickup, Vehicle.Walking)); // on foot the one-way works both ways

        // By road to B, then the last 30 m off the network at the scooter's plain speed; not the straight-line fallback.
        var expected = 100 / Speed(Vehicle.Scooter) + GeoMath.DistanceMetres(new LatLon(43.7309, 7.4200), pickup) / RoadProfile.For(Vehicle.Scooter).DefaultMetresPerSecond;
        Assert.Equal(expected, graph.SecondsTo(pickup, [(courier, Vehicle.Scooter)])[0], 6);
        Assert.NotEqual(StraightLineTravelTime.Instance.SecondsTo(pickup, [(courier, Vehicle.Scooter)])[0], expected, 3);
    }

    [Fact]
    public void Many_couriers_to_one_pickup_in_one_call_include_the_walk_onto_the_network()
    {
        var pickup = new LatLon(43.7300, 7.4200);
        var nearB = new LatLon(43.7309, 7.4201); // about 8 m east of B
        var seconds = Graph.SecondsTo(pickup, [(nearB, Vehicle.Bicycle), (new LatLon(43.7318, 7.4200), Vehicle.Car)]);
        Assert.Equal(GeoMath.DistanceMetres(nearB, new LatLon(43.7309, 7.4200)) / RoadProfile.For(Vehicle.Bicycle).DefaultMetresPerSecond + 100 / Speed(Vehicle.Bicycle), seconds[0], 6);
        Assert.Equal(50 / Speed(Vehicle.Car), seconds[1], 6);
        Assert.Equal(Graph.IndexOf(2), Graph.NearestVertex(nearB));
    }

    [Fact]
    public void Cached_trees_answer_per_vehicle_like_fresh_searches()
    {
        var a = new LatLon(43.7300, 7.4200);
        var c = new LatLon(43.7318, 7.4200);
        for (var round = 0; round < 2; round++) // the second round is answered from the cache
        {
            var seconds = Graph.SecondsTo(a, [(c, Vehicle.Car), (c, Vehicle.Walking), (c, Vehicle.Bicycle)]);
            Assert.Equal(Graph.SecondsTo(Graph.IndexOf(1), Graph.Profile(Vehicle.Car))[Graph.IndexOf(3)], seconds[0], 9);
            Assert.Equal(Graph.SecondsTo(Graph.IndexOf(1), Graph.Profile(Vehicle.Walking))[Graph.IndexOf(3)], seconds[1], 9);
            Assert.Equal(Graph.SecondsTo(Graph.IndexOf(1), Graph.Profile(Vehicle.Bicycle))[Graph.IndexOf(3)], seconds[2], 9);
            Assert.True(seconds[1] > seconds[0]);
        }
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
