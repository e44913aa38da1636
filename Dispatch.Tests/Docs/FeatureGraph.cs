using System.Text.RegularExpressions;

namespace Dispatch.Tests.Docs;

/// <summary>
/// The server's feature folders and which refers to which, read from the source: a file in folder A refers to feature B by
/// `using Dispatch.Server.B`, a `Dispatch.Server.B.` name, or `B.Type` for a type of B (comments and strings left out).
/// Files at the project root (Program, ServerComposition, DispatchOptions, DispatchMetrics) are the composition root
/// and belong to no feature.
/// </summary>
public sealed partial class FeatureGraph
{
    private static readonly HashSet<string> NotFeatures = new(StringComparer.Ordinal) { "bin", "obj", "Properties", "wwwroot" };

    /// <summary>From feature → to feature → the files of "from" that refer to "to".</summary>
    public Dictionary<string, Dictionary<string, SortedSet<string>>> Edges { get; } = new(StringComparer.Ordinal);

    public static FeatureGraph Read(string serverDirectory, IReadOnlyDictionary<string, HashSet<string>> typesByFeature)
    {
        var graph = new FeatureGraph();
        var features = Directory.GetDirectories(serverDirectory).Select(Path.GetFileName).OfType<string>().Where(f => !NotFeatures.Contains(f)).ToHashSet(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            graph.Edges[feature] = new(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(serverDirectory, feature), "*.cs", SearchOption.AllDirectories))
            {
                var code = Strip(File.ReadAllText(file));
                var name = Path.GetRelativePath(serverDirectory, file);
                foreach (Match m in FullName().Matches(code)) graph.Add(feature, m.Groups[1].Value, name, features);
                foreach (Match m in Qualified().Matches(code))
                {
                    var to = m.Groups[1].Value;
                    if (typesByFeature.TryGetValue(to, out var types) && types.Contains(m.Groups[2].Value)) graph.Add(feature, to, name, features);
                }
            }
        }
        return graph;
    }

    private void Add(string from, string to, string file, HashSet<string> features)
    {
        if (from == to || !features.Contains(to)) return;
        if (!Edges[from].TryGetValue(to, out var files)) Edges[from][to] = files = new(StringComparer.Ordinal);
        files.Add(file);
    }

    /// <summary>One cycle through each group of features that reach each other (Tarjan's strongly connected components), as "A → B → … → A".</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] != index[v]) return;
            var component = new HashSet<string>(StringComparer.Ordinal);
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            if (component.Count > 1) cycles.Add(CycleThrough(v, component));
        }
        foreach (var v in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v)) Visit(v);
        }
        return cycles;
    }

    /// <summary>The shortest way from <paramref name="start"/> back to itself inside its component (breadth first).</summary>
    private List<string> CycleThrough(string start, HashSet<string> component)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in Edges[v].Keys.Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = cameFrom[at]) path.Insert(1, at);
                    path.Add(start);
                    return path;
                }
                if (cameFrom.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        throw new InvalidOperationException($"{start} is in a component but on no cycle.");
    }

    private static string Strip(string code) => Strings().Replace(Comments().Replace(code, " "), "\"\"");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\bDispatch\.Server\.(\w+)")]
    private static partial Regex FullName();

    [GeneratedRegex(@"(?<![\w.])(\w+)\.([A-Z]\w*)")]
    private static partial Regex Qualified();
}
