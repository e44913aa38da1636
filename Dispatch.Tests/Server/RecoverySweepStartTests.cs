using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>A node starting up sweeps at once: an order stranded before it started does not wait a whole sweep interval.</summary>
public sealed class RecoverySweepStartTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_node_starting_releases_an_order_stranded_before_it_started()
    {
        server.RequireServices();
        // The fixture's own node swept at its start (default interval 30 s): its next sweep comes after this test's wait.
        var order = (await StrandedOrders.CreateAsync(server))[0];

        await using var starting = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["Dispatch:RecoverySweepSeconds"] = "3600",
        }));
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and actor = 'system:recovery'", order),
            n => n == 1, "the starting node's sweep releasing the stranded order", TimeSpan.FromSeconds(10));
    }
}
