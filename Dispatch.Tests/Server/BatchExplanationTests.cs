using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A batch round stores each offer's explanation in the transaction that makes the offer: when the round returns, the
/// board can read why (before, a write-behind log stored them moments later, and a crash in between lost them).
/// </summary>
public sealed class BatchExplanationTests(BatchServer server) : IClassFixture<BatchServer>
{
    [Fact]
    public async Task A_batch_offer_is_committed_with_its_explanation()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("batch-explained", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);

        Assert.Equal(1, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

        // Read at once, with no wait on anything: the pending offer and its explanation came with one commit.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from offers o join dispatch_decisions d on d.order_id = o.order_id where o.order_id = $1 and o.status = 0 and d.at = o.created_at",
            order.Id));
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from dispatch_decisions where order_id = $1 and explanation->'Chosen'->>0 = $2", order.Id, courier.Id.ToString()));
    }
}
