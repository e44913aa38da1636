using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Couriers hear of their offers, and of offers gone, from the outbox relay: the push follows the committed event, so one
/// lost to a crash after the commit is sent when the relay hands the event over again.
/// </summary>
public sealed class OfferPushesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task An_offer_push_lost_after_the_commit_is_sent_again_when_the_relay_hands_its_event_over_again()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("replayed", 43.7397, 7.4277);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer");

        // As after a crash between the commit and the relay's mark: the order's move to Offered is to do again.
        Assert.Equal(1, await server.ScalarAsync(
            "with r as (update outbox set processed_at = null where order_id = $1 and payload->>'to' = 'offered' returning 1) select count(*) from r", order.Id));
        server.Services.GetRequiredService<OutboxRelay>().Wake();

        var again = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer pushed again from its replayed event");
        Assert.Equal(offer.OfferId, again.OfferId);

        // Left offered, its courier's leaving would send it back to dispatching and to the other test's courier first.
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }

    [Fact]
    public async Task An_expired_offer_s_withdrawal_commits_with_the_expiry_and_reaches_the_courier_from_the_outbox()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("expiring", 43.7397, 7.4277);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer to let expire");

        await server.ScalarAsync("with f as (update offers set expires_at = now() - interval '1 second' where id = $1 returning 1) select count(*) from f", offer.OfferId);

        var withdrawn = await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "the expiry notice");
        Assert.Equal("The offer expired.", withdrawn.Reason);
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where kind = 'offer.withdrawn' and order_id = $1 and payload->>'offerId' = $2", order.Id, offer.OfferId.ToString()));

        // Back to dispatching, it would be offered to the other test's courier, who holds one pending offer at a time.
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }
}
