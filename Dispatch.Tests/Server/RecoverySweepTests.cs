using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The crash state older code could leave (an order Offered whose only offer was already answered, the release to Dispatching
/// never made) is found by the recovery sweep and dispatched again, once, even with two nodes sweeping at the same moment.
/// </summary>
public sealed class RecoverySweepTests(RecoverySweepServer server) : IClassFixture<RecoverySweepServer>
{
    [Fact]
    public async Task An_order_offered_with_only_a_declined_offer_is_offered_again_by_the_sweep()
    {
        server.RequireServices();
        var order = (await StrandedOrders.CreateAsync(server))[0];

        await using var courier = await server.OnlineCourierAtAsync("rescuer", 43.7397, 7.4277);
        await courier.Offers.NextAsync(o => o.OrderId == order, TimeSpan.FromSeconds(20), "an offer of the stranded order after the sweep");
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from order_events where order_id = $1 and status = 2 and actor = 'system:recovery' and note like '%recovered by the sweep%'", order));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and courier_id = $2 and status = 0", order, courier.Id));
        await CancelAsync(order);
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_release_each_stranded_order_once()
    {
        server.RequireServices();
        await using var second = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server));
        var orders = await StrandedOrders.CreateAsync(server, 6);

        await Task.WhenAll(
            server.Services.GetRequiredService<RecoveryCoordinator>().SweepAsync(TestContext.Current.CancellationToken),
            second.Services.GetRequiredService<RecoveryCoordinator>().SweepAsync(TestContext.Current.CancellationToken));
        // The nodes' own sweeps (every second on both) may have come first; either way each order is released exactly once.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from orders where id = any($1) and status = 2", orders), n => n == orders.Length,
            "the stranded orders back in Dispatching");
        Assert.Equal(orders.Length, await server.ScalarAsync("select count(*) from order_events where order_id = any($1) and actor = 'system:recovery'", orders));
        await CancelAsync(orders);
    }

    /// <summary>
    /// A test's orders still waiting at its end are cancelled: a courier holds one pending offer at a time, so they would be
    /// offered to the next test's courier first, before that test's own order.
    /// </summary>
    private async Task CancelAsync(params Guid[] orderIds)
    {
        foreach (var id in orderIds)
            Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }
}
