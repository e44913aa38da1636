using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Bundle offers on the real services: a batch round that gives two orders of one restaurant to one courier makes one offer
/// of both (Dispatch:MaxBundle, default 3), pushed once, accepted, declined, expired or cancelled from as a whole.
/// </summary>
public sealed class BundleOfferTests(BatchServer server) : IClassFixture<BatchServer>
{
    private const double Lon = 7.4200;

    private static double North(double metres) => 43.7330 + metres / 111_320.0;

    [Fact]
    public async Task Two_orders_of_one_restaurant_and_one_courier_are_one_offer_accepted_whole_and_both_delivered()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-accept", North(150), Lon);
        try
        {
            var (first, second, offer) = await BundleAsync(server, courier);

            // One row each, one bundle id (the id pushed), one lead in the one-pending-offer index.
            Assert.Equal(2, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 0 and courier_id = $2", offer.OfferId, courier.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and not bundle_follower", offer.OfferId));
            // The explanation says so, with the other order's number.
            Assert.Contains($"bundled with {second.Number} from the same restaurant", await RuleAsync(first.Id), StringComparison.Ordinal);
            Assert.Contains($"bundled with {first.Number} from the same restaurant", await RuleAsync(second.Id), StringComparison.Ordinal);

            var accepted = await courier.AcceptAsync(offer.OfferId);
            Assert.Equal([first.Id, second.Id], accepted.Jobs!.Select(j => j.OrderId).Order());
            Assert.Equal(accepted.Jobs![0], accepted.Job);
            foreach (var order in new[] { first, second })
            {
                var now = await server.GetOrderAsync(order.Id);
                Assert.Equal(OrderStatus.Accepted, now.Status);
                Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2", order.Id, courier.Id));
            }
            var again = await Assert.ThrowsAsync<HubException>(() => courier.AcceptAsync(offer.OfferId));
            Assert.Contains("You have already accepted this offer.", again.Message, StringComparison.Ordinal);
            // The courier carries both: both are theirs after a reconnect too.
            var session = await courier.GoOnlineAsync();
            Assert.Equal([first.Id, second.Id], session.ActiveJobs.Select(j => j.OrderId).Order());

            // One pickup for both, then each drop-off.
            await courier.ArrivedAsync(first.Id);
            await courier.ArrivedAsync(second.Id);
            await courier.PickedUpAsync(first.Id);
            await courier.PickedUpAsync(second.Id);
            Assert.Equal(OrderStatus.Delivered, (await courier.DeliverAtDropoffAsync(first)).Status);
            Assert.Equal(OrderStatus.Delivered, (await courier.DeliverAtDropoffAsync(second)).Status);
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task A_declined_bundle_releases_both_orders()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-decline", North(150), Lon);
        try
        {
            var (first, second, offer) = await BundleAsync(server, courier);
            await courier.DeclineAsync(offer.OfferId, "test: not two at once");

            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(first.Id)).Status);
            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(second.Id)).Status);
            Assert.Equal(2, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 2", offer.OfferId));
            var late = await Assert.ThrowsAsync<HubException>(() => courier.AcceptAsync(offer.OfferId));
            Assert.Contains("You declined this offer", late.Message, StringComparison.Ordinal);
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task An_expired_bundle_releases_both_orders_and_tells_the_courier_once()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-expiry", North(150), Lon);
        try
        {
            var (first, second, offer) = await BundleAsync(server, courier);
            Assert.Equal(2, await server.ScalarAsync("with f as (update offers set expires_at = now() - interval '1 second' where bundle_id = $1 returning 1) select count(*) from f", offer.OfferId));

            // The dispatch loop may expire it first; either way it is expired once, whole.
            await server.Services.GetRequiredService<OfferAnswers>().ExpireDueOffersAsync(TestContext.Current.CancellationToken);

            var told = await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "the bundle's expiry, by the bundle's id");
            Assert.Contains("expired", told.Reason, StringComparison.Ordinal);
            Assert.Equal(2, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 3", offer.OfferId));
            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(first.Id)).Status);
            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(second.Id)).Status);
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task Going_offline_withdraws_the_whole_bundle_and_releases_both_orders()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-offline", North(150), Lon);
        try
        {
            var (first, second, offer) = await BundleAsync(server, courier);
            await Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.InvokeAsync(courier.Connection, nameof(ICourierHub.GoOffline), TestContext.Current.CancellationToken);

            await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "the bundle withdrawn, by the bundle's id");
            Assert.Equal(2, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 4", offer.OfferId));
            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(first.Id)).Status);
            Assert.Equal(OrderStatus.Dispatching, (await server.GetOrderAsync(second.Id)).Status);
            // Told once for the bundle, not once per order.
            Assert.All(courier.Withdrawn.Drain(), w => Assert.Equal(offer.OfferId, w.OfferId));
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task An_order_cancelled_from_a_pending_bundle_leaves_it_and_the_rest_stays_one_protected_offer()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-cancel", North(150), Lon);
        try
        {
            var (first, second, offer) = await BundleAsync(server, courier);
            // Cancel the order of the bundle's lead row, so the lead must pass to the other.
            var lead = await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and order_id = $2 and not bundle_follower", offer.OfferId, first.Id) == 1 ? first : second;
            var rest = lead == first ? second : first;
            var leadRow = offer.Bundle!.Single(m => m.OrderId == lead.Id).OfferId;
            Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{lead.Id}/cancel", "dispatcher", new { reason = "customer changed their mind" })).IsSuccessStatusCode);

            // The courier hears of that order alone (its own row's id); the other is still offered, now the lead.
            await courier.Withdrawn.NextAsync(w => w.OfferId == leadRow && w.OrderId == lead.Id, what: "the cancelled order leaving the bundle");
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 0 and order_id = $2 and not bundle_follower", offer.OfferId, rest.Id));

            // A second offer to this courier is refused by the database, whichever node would make it.
            var another = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(2_000), pickupLon: Lon));
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync(
                "insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost) " +
                "values (gen_random_uuid(), $1, $2, 0, now(), now() + interval '1 minute', 0, 10, 1)", another.Id, courier.Id));
            Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, refused.SqlState);
            Assert.Equal("ix_offers_one_pending_per_courier", refused.ConstraintName);

            // Accepting the bundle gives what is left of it.
            var accepted = await courier.AcceptAsync(offer.OfferId);
            Assert.Equal(rest.Id, Assert.Single(accepted.Jobs!).OrderId);
            Assert.Equal(OrderStatus.Cancelled, (await server.GetOrderAsync(lead.Id)).Status);
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task A_second_bundle_to_a_courier_holding_one_is_refused_by_the_database()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-unique", North(150), Lon);
        try
        {
            var (_, _, offer) = await BundleAsync(server, courier);
            var a = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(2_000), pickupLon: Lon));
            var b = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(2_000), pickupLon: Lon));
            // Another node's round writing its own bundle of two for the same courier: its lead row is refused, so nothing of it is kept.
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync(
                "with b as (select gen_random_uuid() as id) insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost, bundle_id, bundle_follower) " +
                "select gen_random_uuid(), o.id, $3, 0, now(), now() + interval '1 minute', 0, 10, 1, b.id, o.id <> $1 from b, unnest(array[$1, $2]::uuid[]) as o(id)", a.Id, b.Id, courier.Id));
            Assert.Equal("ix_offers_one_pending_per_courier", refused.ConstraintName);
            Assert.Equal(2, await server.ScalarAsync("select count(*) from offers where courier_id = $1 and status = 0", courier.Id));
            await courier.DeclineAsync(offer.OfferId, "test over");
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    /// <summary>Two paid hot meals of one restaurant with <paramref name="courier"/> alone near it: one round offers both to them as one bundle.</summary>
    internal static async Task<(Dispatch.Server.Orders.OrderView First, Dispatch.Server.Orders.OrderView Second, OfferMessage Offer)> BundleAsync(DispatchServer server, TestCourier courier)
    {
        var first = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(0), pickupLon: Lon, dropoffLat: North(400), dropoffLon: 7.4250));
        var second = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(0), pickupLon: Lon, dropoffLat: North(500), dropoffLon: 7.4230));
        await server.PayAsync(first.Id);
        await server.PayAsync(second.Id);

        Assert.Equal(2, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None));

        var offer = await courier.Offers.NextAsync(o => o.Bundle is not null && o.Bundle.Any(m => m.OrderId == first.Id), what: "one offer of both orders");
        Assert.Equal([first.Id, second.Id], offer.Bundle!.Select(m => m.OrderId).Order());
        Assert.DoesNotContain(offer.OfferId, offer.Bundle!.Select(m => m.OfferId));
        Assert.All(offer.Bundle!, m => Assert.Null(m.Bundle));
        // One push for the bundle: no separate offer of either order.
        Assert.DoesNotContain(courier.Offers.Drain(), o => o.Bundle is null && (o.OrderId == first.Id || o.OrderId == second.Id));
        return (first, second, offer);
    }

    private async Task<string> RuleAsync(Guid orderId)
    {
        var rounds = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{orderId}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
        return rounds.EnumerateArray().Last().GetProperty("rule").GetString()!;
    }
}

/// <summary>A round written in two halves at once keeps a bundle's rows in one half (the halves offer disjoint couriers).</summary>
public sealed class BundleSplitWriteTests(SplitBatchServer server) : IClassFixture<SplitBatchServer>
{
    [Fact]
    public async Task A_bundle_is_written_whole_when_the_round_is_split()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bundle-split", 43.7330 + 150 / 111_320.0, 7.4200);
        try
        {
            var (_, _, offer) = await BundleOfferTests.BundleAsync(server, courier);
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where bundle_id = $1 and status = 0 and not bundle_follower", offer.OfferId));
            await courier.DeclineAsync(offer.OfferId, "test over");
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }
}
