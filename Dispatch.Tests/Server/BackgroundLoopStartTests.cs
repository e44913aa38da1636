using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Orders;
using Dispatch.Server.Routing;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>Every background loop fails its first two pieces of work from the moment the node starts: the node starts anyway and each loop works again.</summary>
public sealed class BackgroundLoopStartTests(FaultyStartServer server) : IClassFixture<FaultyStartServer>
{
    public static TheoryData<string> Loops => [.. FaultyStartServer.Loops];

    [Theory]
    [MemberData(nameof(Loops))]
    public async Task The_loop_survives_its_failures_and_comes_back_to_work(string loop)
    {
        server.RequireServices();
        // Queue-fed loops only work when given something: three pieces, two of which meet the faults.
        for (var i = 0; i < FaultyStartServer.FaultsEach + 1; i++) Feed(loop);

        await Eventually.WaitForAsync(() => Task.FromResult(server.Faults.Calls(loop)), n => n > FaultyStartServer.FaultsEach, $"{loop} at work after its faults");
        Assert.Equal(FaultyStartServer.FaultsEach, server.Faults.Thrown(loop));
        Assert.Equal("\"ok\"", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var line = Assert.Single(server.FailureLines(loop));
        Assert.Contains($"injected fault 1 in {loop}", line, StringComparison.Ordinal);
        var stats = await (await server.CallAsync(HttpMethod.Get, "/api/metrics/pipeline", "admin")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(FaultyStartServer.FaultsEach, stats.GetProperty("loopFailures").GetProperty(loop).GetInt64());
    }

    private void Feed(string loop)
    {
        switch (loop)
        {
            case "milestones":
                server.Services.GetRequiredService<MilestoneService>().Request(Guid.NewGuid(), Guid.NewGuid(), Milestone.Arriving, new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon), 60);
                break;
            case "reroute":
                server.Services.GetRequiredService<RerouteService>().Request(Guid.NewGuid(), Guid.NewGuid());
                break;
            case "decision-log":
                server.Services.GetRequiredService<DecisionLog>().EnqueueWaiting("monaco", DateTimeOffset.UtcNow, [(Guid.NewGuid(), new DispatchExplanation("test", 0, [], [], []))]);
                break;
        }
    }
}
