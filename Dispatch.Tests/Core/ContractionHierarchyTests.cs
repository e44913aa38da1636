using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Routing;

namespace Dispatch.Tests.Core;

public sealed class ContractionHierarchyTests
{
    [Fact]
    public void A_path_through_contracted_vertices_keeps_its_seconds_and_one_way_arcs_their_direction()
    {
        // 0 → 1 → 2 → 3 (one-way, 10 s each), 3 → 0 (40 s), 1 ↔ 4 (5 s both ways); 5 stands alone.
        (int, int, double)[] arcs = [(0, 1, 10), (1, 2, 10), (2, 3, 10), (3, 0, 40), (1, 4, 5), (4, 1, 5)];
        var hierarchy = ContractionHierarchy.Build(6, arcs);
        var m = hierarchy.Matrix([0, 3, 4, 5], [3, 0, 4, 5]);
        Assert.Equal(30, m[0, 0], 9);   // 0 → 3 along the line
        Assert.Equal(0, m[0, 1], 9);
        Assert.Equal(15, m[0, 2], 9);   // 0 → 1 → 4
        Assert.Equal(40, m[1, 1], 9);   // 3 → 0 by its own arc
        Assert.Equal(25, m[2, 0], 9);   // 4 → 1 → 2 → 3
        Assert.Equal(55, m[1, 2], 9);   // 3 → 0 → 1 → 4
        Assert.True(double.IsPositiveInfinity(m[0, 3]), "5 is unreachable");
        Assert.True(double.IsPositiveInfinity(m[3, 0]), "nothing is reachable from 5");
        Assert.Equal(0, m[3, 3], 9);
    }

    [Fact]
    public void A_witness_spares_the_shortcut_and_parallel_arcs_keep_the_cheapest()
    {
        // A square 0–1–2–3 of two-way 1 s arcs plus a diagonal 0 → 2 of 1.5 s; a dearer duplicate 0 → 1 of 7 s comes first.
        (int, int, double)[] arcs = [(0, 1, 7), (0, 1, 1), (1, 0, 1), (1, 2, 1), (2, 1, 1), (2, 3, 1), (3, 2, 1), (3, 0, 1), (0, 3, 1), (0, 2, 1.5)];
        var hierarchy = ContractionHierarchy.Build(4, arcs);
        var m = hierarchy.Matrix([0, 1, 2, 3], [0, 1, 2, 3]);
        double[,] expected = { { 0, 1, 1.5, 1 }, { 1, 0, 1, 2 }, { 2, 1, 0, 1 }, { 1, 2, 1, 0 } };
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++) Assert.Equal(expected[i, j], m[i, j], 9);
        }
    }

    public static TheoryData<int, int> RandomNetworks => new() { { 1, 60 }, { 2, 150 }, { 3, 400 }, { 4, 1500 }, { 5, 1500 } };

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void Every_pair_equals_plain_Dijkstra_on_random_networks_for_every_vehicle(int seed, int vertexCount)
    {
        var graph = RandomStreets(seed, vertexCount);
        var random = new Random(seed);
        var targets = Enumerable.Range(0, Math.Min(vertexCount, 40)).Select(_ => random.Next(vertexCount)).ToArray();
        var sources = vertexCount <= 400 ? Enumerable.Range(0, vertexCount).ToArray() : Enumerable.Range(0, 300).Select(_ => random.Next(vertexCount)).ToArray();
        foreach (var vehicle in Enum.GetValues<Vehicle>())
        {
            var profile = graph.Profile(vehicle);
            var hierarchy = graph.Contract(vehicle);
            var matrix = graph.Matrix(sources, targets, vehicle);
            var unreachable = 0;
            for (var t = 0; t < targets.Length; t++)
            {
                var tree = graph.SecondsTo(targets[t], profile); // plain Dijkstra
                for (var s = 0; s < sources.Length; s++)
                {
                    var expected = tree[sources[s]];
                    if (double.IsPositiveInfinity(expected))
                    {
                        unreachable++;
                        Assert.True(double.IsPositiveInfinity(matrix[s, t]), $"{vehicle}: {sources[s]} → {targets[t]} is unreachable by Dijkstra, {matrix[s, t]} s by the hierarchy");
                    }
                    else
                    {
                        Assert.True(Math.Abs(expected - matrix[s, t]) <= 1e-9 * Math.Max(1, expected), $"{vehicle}: {sources[s]} → {targets[t]}: Dijkstra {expected} s, hierarchy {matrix[s, t]} s");
                    }
                }
            }
            Assert.True(hierarchy.ShortcutCount > 0 || vertexCount < 100, $"{vehicle}: no shortcuts on {vertexCount} vertices");
            // Footways, steps and one-way streets leave some pairs unreachable on wheels: both sides of the comparison are exercised.
            if (vehicle != Vehicle.Walking && seed > 1) Assert.True(unreachable > 0, $"{vehicle}: every pair reachable; the network tests no unreachable pairs");
        }
    }

    [Fact]
    public void Cold_travel_times_through_the_hierarchy_equal_those_through_trees()
    {
        var plain = RandomStreets(7, 800);
        var contracted = RandomStreets(7, 800);
        contracted.Contract(Vehicle.Scooter);
        contracted.Contract(Vehicle.Walking);
        var random = new Random(7);
        LatLon Near() => new(43.70 + random.NextDouble() * 0.02, 7.40 + random.NextDouble() * 0.02);
        for (var call = 0; call < 30; call++)
        {
            var pickup = call % 3 == 0 ? new LatLon(43.71, 7.41) : Near(); // a repeated pickup is asked again: its tree answers
            var couriers = Enumerable.Range(0, 12).Select(i => (Near(), i % 2 == 0 ? Vehicle.Scooter : Vehicle.Walking)).ToArray();
            var expected = plain.SecondsTo(pickup, couriers);
            var actual = contracted.SecondsTo(pickup, couriers);
            for (var i = 0; i < couriers.Length; i++) Assert.Equal(expected[i], actual[i], 6);
        }
    }

    /// <summary>
    /// Random streets about 150 m apart in a 2 km box: each vertex joined to some of its nearest, a fifth one-way,
    /// classes from motorway to steps (so vehicles differ), some vertices left without roads.
    /// </summary>
    internal static RoadGraph RandomStreets(int seed, int vertexCount)
    {
        var random = new Random(seed);
        var vertices = Enumerable.Range(0, vertexCount)
            .Select(i => ((long)i + 1000, 43.70 + random.NextDouble() * 0.02, 7.40 + random.NextDouble() * 0.02)).ToArray();
        string[] classes = ["residential", "residential", "primary", "secondary", "footway", "steps", "cycleway", "motorway", "service"];
        var edges = new List<(long, long, double, bool, string?)>();
        for (var i = 0; i < vertexCount; i++)
        {
            if (random.NextDouble() < 0.03) continue; // an unconnected vertex
            var from = new LatLon(vertices[i].Item2, vertices[i].Item3);
            var nearest = Enumerable.Range(0, vertexCount).Where(j => j != i)
                .OrderBy(j => GeoMath.DistanceMetres(from, new LatLon(vertices[j].Item2, vertices[j].Item3))).Take(3);
            foreach (var j in nearest)
            {
                if (random.NextDouble() < 0.4) continue;
                var metres = GeoMath.DistanceMetres(from, new LatLon(vertices[j].Item2, vertices[j].Item3)) * (1 + random.NextDouble() * 0.3);
                edges.Add((vertices[i].Item1, vertices[j].Item1, metres, random.NextDouble() < 0.2, classes[random.Next(classes.Length)]));
            }
        }
        return new RoadGraph(vertices, edges);
    }
}
