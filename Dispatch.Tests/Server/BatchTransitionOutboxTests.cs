using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The batch round's set-based moves commit their outbox events too, in the same round trip as the offers: a paid order
/// offered at once has both moves in its timeline but one event, Paid → Offered.
/// </summary>
public sealed class BatchTransitionOutboxTests(BatchServer server) : IClassFixture<BatchServer>, IAsyncDisposable
{
    /// <summary>A paid order left waiting would ride in the next test's round (bundles of one pickup): cancelled after each test.</summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    [Fact]
    public async Task A_paid_order_offered_by_a_batch_round_has_one_outbox_event_and_both_timeline_rows()
    {
        server.RequireServices();
        await OutboxGuard.InstallAsync(server.Db);
        await using var courier = await server.OnlineCourierAtAsync("batch-outbox", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon);
        var offered = await server.CreateOrderAsync();
        await server.PayAsync(offered.Id);

        Assert.Equal(1, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

        await courier.Offers.NextAsync(o => o.OrderId == offered.Id, what: "the batch round's offer");
        Assert.Equal(["placed>placed", "placed>paid", "paid>offered"], await OutboxGuard.MovesAsync(server.Db, offered.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and actor = 'dispatch'", offered.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 3 and note like 'courier %'", offered.Id));
        // The note is the timeline's (above); the event of a move to Offered leaves it out, as no consumer reads it there.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where order_id = $1 and payload->>'to' = 'offered' and payload->>'note' is null", offered.Id));
    }
}
