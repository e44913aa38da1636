using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Sequential offers: a decline or an expiry moves the order to the next courier at once.</summary>
public sealed class OfferFlowTests(ShortOfferServer server) : IClassFixture<ShortOfferServer>
{
    [Fact]
    public async Task Decline_then_expiry_each_move_the_offer_to_the_next_courier()
    {
        server.RequireServices();
        await using var near = await server.OnlineCourierAtAsync("near", 43.7397, 7.4277);
        await using var far = await server.OnlineCourierAtAsync("far", 43.7420, 7.4300);

        var first = await server.CreateOrderAsync();
        await server.PayAsync(first.Id);
        var offer = await near.Offers.NextAsync(o => o.OrderId == first.Id, what: "offer to the nearest courier");
        await near.DeclineAsync(offer.OfferId, "bike has a flat tyre");
        var next = await far.Offers.NextAsync(o => o.OrderId == first.Id, what: "offer to the next courier after a decline");
        Assert.True(next.DistanceToPickupMetres > offer.DistanceToPickupMetres);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and courier_id = $2 and status = 2 and reason = 'bike has a flat tyre'", first.Id, near.Id));
        await far.AcceptAsync(next.OfferId);

        var second = await server.CreateOrderAsync();
        await server.PayAsync(second.Id);
        var ignored = await near.Offers.NextAsync(o => o.OrderId == second.Id, what: "offer for the second order");
        var withdrawn = await near.Withdrawn.NextAsync(w => w.OfferId == ignored.OfferId, TimeSpan.FromSeconds(10), "expiry notice");
        Assert.Contains("expired", withdrawn.Reason, StringComparison.Ordinal);
        await far.Offers.NextAsync(o => o.OrderId == second.Id, TimeSpan.FromSeconds(10), "offer to the next courier after expiry");
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 3", ignored.OfferId));
        Assert.True(await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and note like '%expired%'", second.Id) >= 1);
    }
}
