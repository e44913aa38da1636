using Dispatch.Core.Contracts;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Tests.Server;

/// <summary>Two couriers accept the same order at the same moment: exactly one wins, every time.</summary>
public sealed class AcceptRaceTests(BroadcastServer server) : IClassFixture<BroadcastServer>
{
    private const int Rounds = 15;

    [Fact]
    public async Task Exactly_one_of_two_simultaneous_accepts_wins_every_round()
    {
        server.RequireServices();
        await using var a = await server.OnlineCourierAtAsync("race-a", 43.7392, 7.4272, capacity: 2);
        await using var b = await server.OnlineCourierAtAsync("race-b", 43.7399, 7.4280, capacity: 2);
        var wins = new Dictionary<Guid, int> { [a.Id] = 0, [b.Id] = 0 };

        for (var round = 0; round < Rounds; round++)
        {
            // The drop-off is next to both couriers, so the winner hands over where they stand (delivery far from it is refused).
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(dropoffLat: 43.7397, dropoffLon: 7.4278));
            await server.PayAsync(order.Id);
            var offerA = await a.Offers.NextAsync(o => o.OrderId == order.Id, what: $"round {round} offer to A");
            var offerB = await b.Offers.NextAsync(o => o.OrderId == order.Id, what: $"round {round} offer to B");

            var attempts = await Task.WhenAll(Attempt(a, offerA), Attempt(b, offerB));
            var winners = attempts.Where(x => x.Error is null).ToList();
            var losers = attempts.Where(x => x.Error is not null).ToList();
            Assert.Single(winners);
            Assert.Single(losers);
            Assert.Matches("accepted this order first|no longer available", losers[0].Error!);

            var winner = winners[0].Courier;
            wins[winner.Id]++;
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2", order.Id, winner.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 1", order.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 4", order.Id));

            // Free the winner's capacity for the next round.
            await winner.ArrivedAsync(order.Id);
            await winner.PickedUpAsync(order.Id);
            await winner.DeliveredAsync(order.Id, order.Pin!);
        }
        Assert.Equal(Rounds, wins.Values.Sum());
    }

    [Fact]
    public async Task Accepting_twice_is_refused_with_a_clear_message()
    {
        server.RequireServices();
        // Far from the race couriers of the other test in this class, so these two are the nearest.
        await using var c = await server.OnlineCourierAtAsync("twice", 43.7305, 7.4190, capacity: 2);
        await using var d = await server.OnlineCourierAtAsync("twice-b", 43.7306, 7.4192, capacity: 2);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: DispatchServer.FontvieilleLat, pickupLon: DispatchServer.FontvieilleLon, dropoffLat: 43.7350, dropoffLon: 7.4200));
        await server.PayAsync(order.Id);
        var offer = await c.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await c.AcceptAsync(offer.OfferId);
        var again = await Assert.ThrowsAsync<HubException>(() => c.AcceptAsync(offer.OfferId));
        Assert.Contains("already accepted", again.Message, StringComparison.Ordinal);
        var stranger = await Assert.ThrowsAsync<HubException>(() => d.AcceptAsync(offer.OfferId));
        Assert.Contains("another courier", stranger.Message, StringComparison.Ordinal);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 4", order.Id));
    }

    private static async Task<(TestCourier Courier, string? Error)> Attempt(TestCourier courier, OfferMessage offer)
    {
        try
        {
            await courier.AcceptAsync(offer.OfferId);
            return (courier, null);
        }
        catch (HubException ex)
        {
            return (courier, ex.Message);
        }
    }
}
