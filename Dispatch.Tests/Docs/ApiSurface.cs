using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Docs;

/// <summary>
/// What the server maps, read from the app's endpoint data sources (built in Development, so the /dev routes are there,
/// and not started, so no database or Redis is reached): each HTTP endpoint as "METHOD /route" with constraints,
/// defaults and optional marks left out, each hub's path, and each hub's server methods and client callbacks.
/// </summary>
public sealed class ApiSurface
{
    private static readonly HashSet<string> HubBaseMethods = new(StringComparer.Ordinal) { "OnConnectedAsync", "OnDisconnectedAsync", "Dispose" };

    /// <summary>"GET /api/orders/{id}"; an endpoint that takes any method (health checks, a fallback page) is "/route" alone.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>Hub path → the methods a client may call on it.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> HubMethods { get; init; }

    /// <summary>Hub path → the methods the server calls on its clients.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> ClientMethods { get; init; }

    public static async Task<ApiSurface> ReadAsync()
    {
        await using var app = Dispatch.Server.ServerComposition.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0"], b =>
        {
            b.Logging.ClearProviders();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=none",
                ["ConnectionStrings:Redis"] = "127.0.0.1:1",
            });
        });
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();

        var http = new SortedSet<string>(StringComparer.Ordinal);
        var hubs = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var route = Route(endpoint.RoutePattern);
            if (endpoint.Metadata.GetMetadata<HubMetadata>() is { } hub)
            {
                hubs[route.EndsWith("/negotiate", StringComparison.Ordinal) ? route[..^"/negotiate".Length] : route] = hub.HubType;
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (methods.Count == 0) http.Add(route);
            // HEAD beside GET (a page served from a file) is the same endpoint to a reader.
            foreach (var method in methods.Where(m => !(m == HttpMethods.Head && methods.Contains(HttpMethods.Get)))) http.Add($"{method} {route}");
        }

        return new ApiSurface
        {
            Endpoints = [.. http],
            HubMethods = hubs.ToDictionary(h => h.Key, h => ServerMethods(h.Value), StringComparer.Ordinal),
            ClientMethods = hubs.ToDictionary(h => h.Key, h => Callbacks(h.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The route as a reader writes it: "{id}" for "{id:guid}", "{result}" for "{result:regex(...)}".</summary>
    private static string Route(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"Unexpected route part {p.GetType().Name} in {pattern.RawText}."),
        })));
        return "/" + string.Join('/', segments);
    }

    /// <summary>Public methods a hub class declares itself (its interface's and any extra), without the connection events.</summary>
    private static IReadOnlyList<string> ServerMethods(Type hub)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        for (var t = hub; t is not null && t != typeof(Hub) && !(t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Hub<>)); t = t.BaseType)
        {
            foreach (var m in t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName && !HubBaseMethods.Contains(m.Name)))
            {
                methods.Add(m.Name);
            }
        }
        return [.. methods];
    }

    /// <summary>The methods of the client interface T of a Hub&lt;T&gt;, including the interfaces it extends.</summary>
    private static IReadOnlyList<string> Callbacks(Type hub)
    {
        for (var t = hub; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Hub<>))
            {
                var client = t.GetGenericArguments()[0];
                return [.. client.GetMethods().Concat(client.GetInterfaces().SelectMany(i => i.GetMethods())).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal)];
            }
        }
        return [];
    }
}
