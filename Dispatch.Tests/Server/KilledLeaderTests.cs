using Dispatch.Core.Contracts;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// The zone's dispatcher is a process SIGKILLed after its offer reached a courier and before any answer: the surviving node
/// takes the zone over, the stranded offer ends, the order is offered again and is delivered, accepted once.
/// </summary>
public sealed class KilledLeaderTests(KilledLeaderServer server) : IClassFixture<KilledLeaderServer>
{
    private const string Zone = "monaco";

    [Fact]
    public async Task A_leader_killed_between_offer_and_answer_leaves_the_order_to_the_survivor_which_offers_it_again_and_it_is_delivered()
    {
        server.RequireServices();
        var settings = server.NodeSettings();
        await using var doomed = await NodeProcess.StartAsync(settings);
        await Eventually.WaitForAsync(() => server.LeaderPidAsync(Zone), pid => pid == doomed.Pid, "the node process holding the zone", TimeSpan.FromSeconds(30));
        await using var survivor = await ExtraNode.StartAsync(settings);
        await using var a = await server.OnlineCourierAtAsync("killed-a", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002);
        await using var b = await server.OnlineCourierAtAsync("killed-b", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0004);
        var offers = new Inbox<(TestCourier Courier, OfferMessage Offer)>();
        foreach (var each in new[] { a, b })
            each.Connection.On<OfferMessage>(nameof(ICourierClient.OfferReceived), m => offers.Add((each, m)));

        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var first = await offers.NextAsync(o => o.Offer.OrderId == order.Id, TimeSpan.FromSeconds(30), "the leader's offer");
        Assert.Equal(doomed.Pid, await server.LeaderPidAsync(Zone));

        doomed.Kill();
        // No answer to the first offer: it was the dead node's. The survivor takes the zone, ends that offer, offers again.
        var again = await offers.NextAsync(o => o.Offer.OrderId == order.Id && o.Offer.OfferId != first.Offer.OfferId,
            TimeSpan.FromSeconds(KilledLeaderServer.LeaseSeconds * 3 + KilledLeaderServer.OfferSeconds * 3 + 15), "the survivor's offer");
        Assert.NotEqual(doomed.Pid, await server.LeaderPidAsync(Zone));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 0", first.Offer.OfferId));

        var courier = again.Courier;
        Assert.Equal(order.Id, (await courier.AcceptAsync(again.Offer.OfferId)).Job.OrderId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        await courier.DeliverAtDropoffAsync(order);
        Assert.Equal(Dispatch.Core.Orders.OrderStatus.Delivered, (await server.GetOrderAsync(order.Id)).Status);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 1", order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 9", order.Id));
    }
}
