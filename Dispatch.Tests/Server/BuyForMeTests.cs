using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// Buy-for-me errands with a price cap on the real server, PostgreSQL and Redis: receipts within the cap approved at once,
/// over it approved or rejected by the tracking-link holder, delivery held until then; ratings after delivery; earnings.
/// </summary>
public sealed class BuyForMeTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const int Cap = 2500;

    [Fact]
    public async Task A_receipt_within_the_cap_is_approved_at_once_and_the_order_is_delivered_rated_and_earned()
    {
        server.RequireServices();
        var (courier, order) = await AcceptedAsync("bfm-under");
        await using var _ = courier;
        await using var tracking = await SubscribedAsync(order);
        var pushes = Inbox(tracking);

        // Before pickup the courier has bought nothing yet.
        var early = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, 2380));
        Assert.Contains("after you bought the goods", early.Message, StringComparison.Ordinal);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        var submitted = await courier.SubmitReceiptAsync(order.Id, 2380, "https://photos.example/r-under.jpg");
        Assert.Equal(ReceiptState.Approved, submitted.BuyForMe.Receipt);
        Assert.Equal(2380, submitted.BuyForMe.ApprovedCents);
        var pushed = await pushes.NextAsync(what: "ReceiptChanged push");
        Assert.Equal(ReceiptState.Approved, pushed.BuyForMe.Receipt);

        var twice = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, 1000));
        Assert.Contains("already approved (23.80)", twice.Message, StringComparison.Ordinal);

        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(new BuyForMeView(Cap, "1 baguette, 6 eggs, olive oil", ReceiptState.Approved, 2380, "https://photos.example/r-under.jpg", 2380, "EUR"), view.BuyForMe);
        var receiptEvents = view.Timeline.Where(t => t.Note?.StartsWith(ReceiptRules.NotePrefix, StringComparison.Ordinal) == true).ToList();
        Assert.Equal([$"courier:{courier.Id:N}", "system:price-cap"], receiptEvents.Select(e => e.Actor));
        Assert.Contains("approved automatically", receiptEvents[1].Note, StringComparison.Ordinal);

        // Rating before delivery is refused.
        var tooSoon = await Assert.ThrowsAsync<HubException>(() => tracking.InvokeAsync<RatingView>(nameof(ITrackingHub.Rate), order.TrackingToken!, order.Id, 5, null));
        Assert.Contains("once it has been delivered", tooSoon.Message, StringComparison.Ordinal);

        var before = await courier.TodaysEarningsAsync();
        await courier.DeliverAtDropoffAsync(order);
        var after = await courier.TodaysEarningsAsync();
        var delivered = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        Assert.NotNull(delivered.CourierFeeCents);
        Assert.InRange(delivered.CourierFeeCents!.Value, 300, 500); // base 3.00 + 0.80/km over about 1.2 km
        Assert.Equal(before.Delivered + 1, after.Delivered);
        Assert.Equal(before.FeesCents + delivered.CourierFeeCents.Value, after.FeesCents);
        Assert.Equal(before.ReimbursedCents + 2380, after.ReimbursedCents);
        Assert.True(after.From <= DateTimeOffset.UtcNow && DateTimeOffset.UtcNow < after.To);

        // After delivery the receipt is closed; the customer rates once.
        var late = await Assert.ThrowsAsync<HubException>(() => Decide(tracking, order, approve: true));
        Assert.Contains("already Delivered", late.Message, StringComparison.Ordinal);
        var badStars = await Assert.ThrowsAsync<HubException>(() => tracking.InvokeAsync<RatingView>(nameof(ITrackingHub.Rate), order.TrackingToken!, order.Id, 6, null));
        Assert.Contains("1 to 5 stars", badStars.Message, StringComparison.Ordinal);
        var rating = await tracking.InvokeAsync<RatingView>(nameof(ITrackingHub.Rate), order.TrackingToken!, order.Id, 4, "  Quick, and the eggs survived.  ");
        Assert.Equal(4, rating.Stars);
        Assert.Equal("Quick, and the eggs survived.", rating.Comment);
        var again = await Assert.ThrowsAsync<HubException>(() => tracking.InvokeAsync<RatingView>(nameof(ITrackingHub.Rate), order.TrackingToken!, order.Id, 1, "changed my mind"));
        Assert.Contains("already been rated", again.Message, StringComparison.Ordinal);
        var rated = await server.GetOrderAsync(order.Id);
        Assert.Equal(4, rated.Rating!.Stars);
        Assert.Equal("Quick, and the eggs survived.", rated.Rating.Comment);
        Assert.Equal("rated 4/5", rated.Timeline[^1].Note);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note like 'rated %'", order.Id));
    }

    [Fact]
    public async Task A_receipt_over_the_cap_holds_delivery_until_the_customer_approves_with_their_own_link()
    {
        server.RequireServices();
        var (courier, order) = await PickedUpAsync("bfm-over");
        await using var _ = courier;
        var other = await server.CreateOrderAsync(DispatchServer.OrderBody(priceCapCents: 5000));
        await using var tracking = await SubscribedAsync(order);
        var pushes = Inbox(tracking);

        var submitted = await courier.SubmitReceiptAsync(order.Id, 3120);
        Assert.Equal(ReceiptState.AwaitingCustomer, submitted.BuyForMe.Receipt);
        Assert.Null(submitted.BuyForMe.ApprovedCents);
        Assert.Equal(3120, (await pushes.NextAsync(what: "receipt waiting push")).BuyForMe.ReceiptCents);

        var held = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.Contains("waits for the customer's approval", held.Message, StringComparison.Ordinal);
        var pending = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, 2400));
        Assert.Contains("waiting for the customer's decision", pending.Message, StringComparison.Ordinal);

        // Another order's link, a forged link: refused, nothing changes.
        var foreign = await Assert.ThrowsAsync<HubException>(() => tracking.InvokeAsync<ReceiptChanged>(nameof(ITrackingHub.DecideReceipt), other.TrackingToken!, order.Id, true));
        Assert.Contains(TrackingHub.OtherOrderMessage, foreign.Message, StringComparison.Ordinal);
        var forged = await Assert.ThrowsAsync<HubException>(() => tracking.InvokeAsync<ReceiptChanged>(nameof(ITrackingHub.DecideReceipt), DispatchServer.Forged(order.TrackingToken!), order.Id, true));
        Assert.Contains(TrackingHub.InvalidMessage, forged.Message, StringComparison.Ordinal);
        var unchanged = await server.GetOrderAsync(order.Id);
        Assert.Equal(ReceiptState.AwaitingCustomer, unchanged.BuyForMe!.Receipt);
        Assert.Equal(OrderStatus.PickedUp, unchanged.Status);

        var approved = await Decide(tracking, order, approve: true);
        Assert.Equal(ReceiptState.Approved, approved.BuyForMe.Receipt);
        var told = await courier.ReceiptDecisions.NextAsync(c => c.OrderId == order.Id, what: "ReceiptDecided push to the courier");
        Assert.Equal(ReceiptState.Approved, told.BuyForMe.Receipt);
        Assert.Equal(3120, told.BuyForMe.ApprovedCents);
        await pushes.NextAsync(c => c.BuyForMe.Receipt == ReceiptState.Approved, what: "approved push to the tracking page");
        var twice = await Assert.ThrowsAsync<HubException>(() => Decide(tracking, order, approve: false));
        Assert.Contains("already approved (31.20)", twice.Message, StringComparison.Ordinal);

        await courier.DeliverAtDropoffAsync(order);
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, view.Status);
        Assert.Equal(3120, view.BuyForMe!.ApprovedCents);
        Assert.Contains(view.Timeline, t => t.Actor == "customer:tracking-link" && t.Note == "receipt 31.20 approved by the customer (cap 25.00)");
    }

    [Fact]
    public async Task A_rejected_receipt_is_told_to_the_courier_who_sends_a_lower_one_before_delivering()
    {
        server.RequireServices();
        var (courier, order) = await PickedUpAsync("bfm-reject");
        await using var _ = courier;
        await using var tracking = await SubscribedAsync(order);

        await courier.SubmitReceiptAsync(order.Id, 4100);
        var rejected = await Decide(tracking, order, approve: false);
        Assert.Equal(ReceiptState.Rejected, rejected.BuyForMe.Receipt);
        var told = await courier.ReceiptDecisions.NextAsync(c => c.OrderId == order.Id, what: "rejection push to the courier");
        Assert.Equal(ReceiptState.Rejected, told.BuyForMe.Receipt);

        var held = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.Contains("rejected the receipt", held.Message, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(order.Id)).Status);

        var second = await courier.SubmitReceiptAsync(order.Id, 2450, "https://photos.example/r-second.jpg");
        Assert.Equal(ReceiptState.Approved, second.BuyForMe.Receipt);
        await courier.DeliverAtDropoffAsync(order);
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(2450, view.BuyForMe!.ApprovedCents);
        Assert.Equal(
            ["receipt 41.00 over cap 25.00: waiting for the customer", "receipt 41.00 rejected by the customer (cap 25.00)", "receipt 24.50 submitted",
             "receipt 24.50 within cap 25.00: approved automatically"],
            view.Timeline.Where(t => t.Note?.StartsWith("receipt ", StringComparison.Ordinal) == true).Select(t => t.Note));
    }

    [Fact]
    public async Task Receipts_that_make_no_sense_are_refused_and_change_nothing()
    {
        server.RequireServices();
        var (courier, order) = await PickedUpAsync("bfm-bad");
        await using var _ = courier;

        var negative = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, -500));
        Assert.Contains("must be positive", negative.Message, StringComparison.Ordinal);
        var absurd = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, 5_000_000));
        Assert.Contains("check the amount", absurd.Message, StringComparison.Ordinal);
        var noPhoto = await Assert.ThrowsAsync<HubException>(() => courier.SubmitReceiptAsync(order.Id, 1200, " "));
        Assert.Contains("Add a photo", noPhoto.Message, StringComparison.Ordinal);
        await using (var stranger = await server.ConnectCourierAsync((await server.FleetAsync("bfm-stranger", 1))[0]))
        {
            var notYours = await Assert.ThrowsAsync<HubException>(() => stranger.SubmitReceiptAsync(order.Id, 1200));
            Assert.Contains("is not assigned to you", notYours.Message, StringComparison.Ordinal);
        }
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(ReceiptState.None, view.BuyForMe!.Receipt);
        Assert.Null(view.BuyForMe.ReceiptCents);
        Assert.DoesNotContain(view.Timeline, t => t.Note?.StartsWith("receipt ", StringComparison.Ordinal) == true);
        var noReceipt = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.Contains("send the receipt", noReceipt.Message, StringComparison.Ordinal);
        await using var tracking = await SubscribedAsync(order);
        var nothingYet = await Assert.ThrowsAsync<HubException>(() => Decide(tracking, order, approve: true));
        Assert.Contains("has not sent a receipt", nothingYet.Message, StringComparison.Ordinal);

        // An ordinary order takes no receipt.
        var (plainCourier, plain) = await PickedUpAsync("bfm-plain", cap: null);
        await using var __ = plainCourier;
        var ordinary = await Assert.ThrowsAsync<HubException>(() => plainCourier.SubmitReceiptAsync(plain.Id, 1200));
        Assert.Contains("not a buy-for-me errand", ordinary.Message, StringComparison.Ordinal);
        Assert.Null((await server.GetOrderAsync(plain.Id)).BuyForMe);
    }

    [Theory]
    [InlineData("{\"priceCapCents\": 0, \"shoppingList\": \"milk\"}", "buyForMe.priceCapCents")]
    [InlineData("{\"priceCapCents\": 20000000, \"shoppingList\": \"milk\"}", "buyForMe.priceCapCents")]
    [InlineData("{\"shoppingList\": \"milk\"}", "buyForMe.priceCapCents")]
    [InlineData("{\"priceCapCents\": 2500, \"shoppingList\": \"  \"}", "buyForMe.shoppingList")]
    public async Task A_bad_buy_for_me_block_is_a_problem_naming_the_field(string block, string field)
    {
        server.RequireServices();
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["buyForMe"] = System.Text.Json.Nodes.JsonNode.Parse(block);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync());
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"problem names {field}: {problem}");
    }

    private async Task<(TestCourier Courier, OrderView Order)> AcceptedAsync(string handle, int? cap = Cap)
    {
        var courier = await server.OnlineCourierAtAsync(handle, DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(priceCapCents: cap));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        Assert.Equal(cap, offer.PriceCapCents);
        var job = (await courier.AcceptAsync(offer.OfferId)).Job;
        Assert.Equal(cap, job.BuyForMe?.PriceCapCents);
        return (courier, order);
    }

    private async Task<(TestCourier Courier, OrderView Order)> PickedUpAsync(string handle, int? cap = Cap)
    {
        var (courier, order) = await AcceptedAsync(handle, cap);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        return (courier, order);
    }

    private async Task<HubConnection> SubscribedAsync(OrderView order)
    {
        var tracking = await server.ConnectTrackingAsync();
        var snapshot = await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.Equal(order.BuyForMe?.PriceCapCents, snapshot.BuyForMe?.PriceCapCents);
        return tracking;
    }

    private static Inbox<ReceiptChanged> Inbox(HubConnection tracking)
    {
        var inbox = new Inbox<ReceiptChanged>();
        tracking.On<ReceiptChanged>(nameof(ITrackingClient.ReceiptChanged), inbox.Handler);
        return inbox;
    }

    private static Task<ReceiptChanged> Decide(HubConnection tracking, OrderView order, bool approve) =>
        tracking.InvokeAsync<ReceiptChanged>(nameof(ITrackingHub.DecideReceipt), order.TrackingToken!, order.Id, approve);
}
