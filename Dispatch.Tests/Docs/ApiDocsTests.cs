using System.Text.RegularExpressions;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Docs;

/// <summary>
/// docs/api.md cannot drift from what the server maps: every HTTP endpoint is named in it as `METHOD /route` (in a
/// heading, a table row or a list item), every hub by its path and every hub method and client callback by its name,
/// and every `METHOD /route` it names is an endpoint that exists.
/// </summary>
public sealed partial class ApiDocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root(), "docs", "api.md"));

    /// <summary>The inline code spans of the doc, outside fenced examples: where names are given.</summary>
    private static readonly IReadOnlyList<string> Spans = [.. CodeSpan().Matches(Fence().Replace(Doc, "")).Select(m => m.Groups[1].Value.Trim())];

    /// <summary>"METHOD /route" or "/route" from the start of each span, without the query or body that may follow.</summary>
    private static readonly HashSet<string> Named = [.. Spans.Select(s => NamedRoute().Match(s)).Where(m => m.Success).Select(m => m.Value)];

    /// <summary>The app is built once for the three facts (a second or two each on a loaded machine).</summary>
    private static readonly Lazy<Task<ApiSurface>> Surface = new(ApiSurface.ReadAsync);

    [Fact]
    public async Task Every_endpoint_the_server_maps_is_in_the_doc()
    {
        var surface = await Surface.Value;
        Assert.Contains("POST /api/orders", surface.Endpoints); // the reading works: a known endpoint is found

        var missing = surface.Endpoints.Where(e => e.StartsWith('/') ? !Named.Any(n => n == e || n.EndsWith(" " + e, StringComparison.Ordinal)) : !Named.Contains(e)).ToList();
        missing.AddRange(surface.HubMethods.Keys.Where(path => !Named.Contains(path)).Select(path => $"hub {path}"));
        Assert.True(missing.Count == 0, $"docs/api.md lacks {missing.Count} endpoint(s), each to be named as `METHOD /route`:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Every_hub_method_and_client_callback_is_in_the_doc()
    {
        var surface = await Surface.Value;
        Assert.Equal(3, surface.HubMethods.Count);

        var missing = surface.HubMethods.SelectMany(h => h.Value.Select(m => (Hub: h.Key, Kind: "method", Name: m)))
            .Concat(surface.ClientMethods.SelectMany(h => h.Value.Select(m => (Hub: h.Key, Kind: "push", Name: m))))
            .Where(x => !Spans.Any(s => s == x.Name || s.StartsWith(x.Name + "(", StringComparison.Ordinal)))
            .Select(x => $"{x.Hub} {x.Kind} {x.Name}").ToList();
        Assert.True(missing.Count == 0, $"docs/api.md lacks {missing.Count} hub method(s), each to be named as `Name(…)` or `Name`:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task Every_endpoint_the_doc_names_exists()
    {
        var surface = await Surface.Value;
        var known = surface.Endpoints.ToHashSet(StringComparer.Ordinal);
        var methodless = surface.Endpoints.Where(e => e.StartsWith('/')).ToHashSet(StringComparer.Ordinal);

        var unknown = Named.Where(n => n.Contains(' ', StringComparison.Ordinal) && !known.Contains(n) && !methodless.Contains(n[(n.IndexOf(' ', StringComparison.Ordinal) + 1)..]))
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, "docs/api.md names endpoints the server does not map:\n" + string.Join('\n', unknown));
    }

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^(?:(?:GET|POST|PUT|DELETE|PATCH) )?/[^\s?`\[]*")]
    private static partial Regex NamedRoute();
}
