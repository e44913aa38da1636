using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// An offer made while the courier has no live connection (a dropped network, or the moments before a new connection is
/// subscribed for their pushes) still reaches them: going online on the new connection hands over their pending offers.
/// </summary>
public sealed class OfferOnConnectTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task An_offer_made_between_two_connections_reaches_the_courier_when_they_go_online_again()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("between", 1))[0];
        var first = await server.ConnectCourierAsync(member);
        await first.GoOnlineAsync();
        Assert.Equal(1, (await first.MoveToAsync(DispatchServer.CasinoLat, DispatchServer.CasinoLon)).Accepted);
        await server.WaitInGeoSetAsync(member.CourierId, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        // The network drops: no GoOffline, so dispatch still counts the courier in while no connection of theirs exists.
        await first.Connection.DisposeAsync();

        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        // The offer is stored and its push already went out, to nobody.
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from offers where order_id = $1 and courier_id = $2 and status = 0", order.Id, member.CourierId),
            n => n == 1, "the offer made to the disconnected courier");
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from outbox where order_id = $1 and payload->>'to' = 'offered' and processed_at is null", order.Id),
            n => n == 0, "the offer's push handed to the backplane");

        await using var again = await server.ConnectCourierAsync(member);
        await again.GoOnlineAsync();

        var offer = await again.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer made while the courier was away");
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and courier_id = $2 and status = 0", offer.OfferId, member.CourierId));
    }
}
