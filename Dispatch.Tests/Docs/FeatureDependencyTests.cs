using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Docs;

/// <summary>
/// No feature folder of the server depends on another in a cycle, so the folders stack in layers (docs/architecture.md).
/// A reference that still closes a cycle is listed below with why it is there; the test fails on any other cycle and on a
/// listed reference that is gone (take it off the list).
/// </summary>
public sealed class FeatureDependencyTests
{
    /// <summary>References known to close cycles, each with its reason; shrink this list, do not grow it.</summary>
    public static readonly (string From, string To, string Reason)[] KnownExceptions = [];

    private static FeatureGraph Graph()
    {
        var types = typeof(Dispatch.Server.ServerComposition).Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace?.StartsWith("Dispatch.Server.", StringComparison.Ordinal) == true && !t.Name.StartsWith('<'))
            .GroupBy(t => t.Namespace!.Split('.')[2])
            .ToDictionary(g => g.Key, g => g.Select(t => t.Name.Split('`')[0]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return FeatureGraph.Read(Path.Combine(RepoPaths.Root(), "Dispatch.Server"), types);
    }

    [Fact]
    public void No_feature_folder_depends_on_another_in_a_cycle()
    {
        var graph = Graph();
        foreach (var (from, to, _) in KnownExceptions) graph.Edges[from].Remove(to);
        var cycles = graph.Cycles().Select(c => string.Join(" → ", c.Select((f, i) => i + 1 < c.Count ? $"{f} ({string.Join(", ", graph.Edges[f][c[i + 1]].Take(3))})" : f)));
        var found = cycles.ToList();
        Assert.True(found.Count == 0, "Feature folders that depend on each other in a cycle:\n" + string.Join("\n", found));
    }

    [Fact]
    public void Every_known_exception_is_still_a_reference()
    {
        var graph = Graph();
        var gone = KnownExceptions.Where(e => !graph.Edges.TryGetValue(e.From, out var to) || !to.ContainsKey(e.To)).Select(e => $"{e.From} → {e.To}");
        var list = gone.ToList();
        Assert.True(list.Count == 0, "Known exceptions that are no longer references (take them off the list): " + string.Join(", ", list));
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        var graph = new FeatureGraph();
        foreach (var f in new[] { "Orders", "Dispatching", "Zones" }) graph.Edges[f] = [];
        graph.Edges["Orders"]["Dispatching"] = ["Orders/OrderCoordinator.cs"];
        graph.Edges["Dispatching"]["Zones"] = ["Dispatching/OfferRounds.cs"];
        graph.Edges["Dispatching"]["Orders"] = ["Dispatching/OfferRounds.cs"];
        Assert.Equal(["Dispatching", "Orders", "Dispatching"], Assert.Single(graph.Cycles()));
    }
}
