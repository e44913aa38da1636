using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A decline or an expiry answers the offer and releases the order in one transaction. A trigger makes the order's release
/// fail, as a crash or a lost connection between the two statements would: the offer's answer must be rolled back with it,
/// never leaving an answered offer beside an order still Offered.
/// </summary>
public sealed class OfferAnswerTransactionTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_decline_whose_release_fails_leaves_the_offer_pending_and_the_order_offered()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("decliner", 43.7397, 7.4277);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer to decline");

        await RefuseReleaseAsync(order.Id);
        try
        {
            await Assert.ThrowsAsync<HubException>(() => courier.DeclineAsync(offer.OfferId, "flat tyre"));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 0 and reason is null", offer.OfferId));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and status = 3", order.Id));
        }
        finally
        {
            await AllowReleaseAsync();
        }

        await courier.DeclineAsync(offer.OfferId, "flat tyre");
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 2", offer.OfferId));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and note like 'declined by courier%flat tyre'", order.Id));
        await CancelAsync(order.Id);
    }

    [Fact]
    public async Task An_expiry_whose_release_fails_leaves_the_offer_pending_until_the_release_can_be_made()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("sleeper", 43.7397, 7.4277);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer to let expire");

        await RefuseReleaseAsync(order.Id);
        try
        {
            await server.ScalarAsync("with f as (update offers set expires_at = now() - interval '1 second' where id = $1 returning 1) select count(*) from f", offer.OfferId);
            var dispatch = server.Services.GetRequiredService<OfferAnswers>();
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => dispatch.ExpireDueOffersAsync(TestContext.Current.CancellationToken));
            Assert.Contains("release refused by the test", failure.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 0", offer.OfferId));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and status = 3", order.Id));
        }
        finally
        {
            await AllowReleaseAsync();
        }

        // The dispatch loop's next expiry now makes both steps.
        var withdrawn = await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "the expiry notice once the release can be made");
        Assert.Contains("expired", withdrawn.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 3", offer.OfferId));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and note like '%expired'", order.Id));
        await CancelAsync(order.Id);
    }

    [Fact]
    public async Task A_withdrawal_whose_release_fails_leaves_the_offer_pending_and_the_order_offered()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("leaver", 43.7397, 7.4277);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer to withdraw");
        var dispatch = server.Services.GetRequiredService<OfferAnswers>();
        var ct = TestContext.Current.CancellationToken;

        await RefuseReleaseAsync(order.Id);
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => dispatch.WithdrawOffersOfAsync(courier.Id, "courier went silent", "You went silent.", ct));
            Assert.Contains("release refused by the test", failure.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 0", offer.OfferId));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and status = 3", order.Id));
        }
        finally
        {
            await AllowReleaseAsync();
        }

        // The earlier tests' orders wait for a courier too: the retry loop may have offered them to this one meanwhile.
        Assert.InRange(await dispatch.WithdrawOffersOfAsync(courier.Id, "courier went silent", "You went silent.", ct), 1, 3);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 4", offer.OfferId));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and note like '%withdrawn: courier went silent'", order.Id));
        await CancelAsync(order.Id);
    }

    /// <summary>A trigger refusing this order's move from Offered (3) back to Dispatching (2).</summary>
    private async Task RefuseReleaseAsync(Guid orderId)
    {
        await server.ScalarAsync("""
            create or replace function refuse_release() returns trigger language plpgsql as
            $$ begin raise exception 'release refused by the test'; end $$;
            select 1
            """);
        await server.ScalarAsync($"""
            create trigger refuse_release before update on orders for each row
            when (old.id = '{orderId}' and old.status = 3 and new.status = 2) execute function refuse_release();
            select 1
            """);
    }

    /// <summary>
    /// The test's order, back in dispatch at its end, is cancelled: a courier holds one pending offer at a time, so an order left
    /// waiting would be offered to the next test's courier before that test's own order.
    /// </summary>
    private async Task CancelAsync(Guid orderId) =>
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);

    private async Task AllowReleaseAsync() => await server.ScalarAsync("drop trigger if exists refuse_release on orders; select 1");
}
