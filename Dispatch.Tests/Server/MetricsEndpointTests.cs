using System.Globalization;
using System.Net;
using Dispatch.Server.Observability;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>/metrics serves the project's meter (with the values of real fixes), ASP.NET Core's and Npgsql's in Prometheus text to loopback.</summary>
public sealed class MetricsEndpointTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Metrics_show_the_fixes_a_courier_sent_with_ASP_NET_Core_and_Npgsql_alongside()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("metrics", DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        Assert.Equal(1, (await courier.MoveToAsync(DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon)).Accepted);
        await server.WaitInGeoSetAsync(courier.Id, DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon);

        var text = await Eventually.WaitForAsync(ScrapeAsync, t => Value(t, "dispatch_fixes_flushed_total") >= 2 && Value(t, "dispatch_push_lag_seconds_count") >= 1,
            "fixes and push lag in /metrics");

        Assert.True(Value(text, "dispatch_fixes_accepted_total") >= 2);
        Assert.True(Value(text, "dispatch_location_queue_size_bytes") >= 0);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("db_client_", text, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await server.Http.GetAsync(new Uri(ObservabilityComposition.MetricsPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples over its label sets (-1 when absent).</summary>
    private static double Value(string text, string metric)
    {
        var samples = text.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(SampleValue(l), CultureInfo.InvariantCulture))
            .ToList();
        return samples.Count == 0 ? -1 : samples.Sum();
    }

    /// <summary>"name{labels} value [timestamp]": the value after the closing brace (or the name).</summary>
    private static string SampleValue(string line)
    {
        var rest = line[(line.LastIndexOf('}') + 1)..].Trim();
        if (rest.Length == line.Trim().Length) rest = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        return rest.Split(' ')[0];
    }
}
