using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Buy-for-me errands and ratings across both pages in headless Chromium, against the real server, PostgreSQL and Redis:
/// the runner page sends an over-cap receipt, the customer approves it on the tracking page, the runner sees it and
/// delivers, the customer rates; and a receipt the customer rejects reaches the courier. Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class ErrandPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double StartLat = 43.7397, StartLon = 7.4277;

    // About 55 m further on: where the runner hands the shopping over.
    private const double DropoffLat = 43.7401, DropoffLon = 7.4281;

    [Fact]
    public async Task Customer_approves_the_runners_over_cap_receipt_then_rates_the_delivery()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("errandpage", 1))[0];
        var runner = await chromium.OnlineRunnerAsync(server, member, StartLat, StartLon);
        await Expect(runner.Locator("#earnings")).ToBeVisibleAsync();
        await Expect(runner.Locator("#delivered-count")).ToHaveTextAsync("0");
        await Expect(runner.Locator("#earnings-today")).ToHaveTextAsync(new Regex(@"0[.,]00"));

        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(priceCapCents: 2500, dropoffLat: DropoffLat, dropoffLon: DropoffLon));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        await Expect(runner.Locator("#offer-errand")).ToContainTextAsync(new Regex(@"up to .*25[.,]00"));
        await HeadlessChromium.ScreenshotAsync(runner, "errand-0-runner-offer");
        await runner.Locator("#accept").ClickAsync();
        var job = runner.Locator("#job");
        await Expect(job).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(runner.Locator("#errand-list")).ToHaveTextAsync("1 baguette, 6 eggs, olive oil");
        await Expect(runner.Locator("#receipt-form")).ToBeHiddenAsync();

        var customer = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await customer.GotoAsync(new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString());
        await Expect(customer.Locator("#errand-card")).ToBeVisibleAsync();
        await Expect(customer.Locator("#errand-cap")).ToContainTextAsync(new Regex(@"25[.,]00"));
        await Expect(customer.Locator("#receipt")).ToBeHiddenAsync();

        await runner.Locator("#btn-arrived").ClickAsync();
        await runner.Locator("#btn-picked-up").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "pickedUp");
        await Expect(runner.Locator("#receipt-form")).ToBeVisibleAsync();
        await Expect(runner.Locator("#pin-form")).ToBeHiddenAsync();
        await runner.Locator("#receipt-amount").FillAsync("twelve");
        await runner.Locator("#receipt-photo").FillAsync("https://photos.example/receipt-77.jpg");
        await runner.Locator("#btn-receipt").ClickAsync();
        await Expect(runner.Locator("#job-error")).ToContainTextAsync("e.g. 23.80");
        await runner.Locator("#receipt-amount").FillAsync("31.20");
        await runner.Locator("#btn-receipt").ClickAsync();
        var errand = runner.Locator("#errand");
        await Expect(errand).ToHaveAttributeAsync("data-receipt", "awaitingCustomer");
        await Expect(runner.Locator("#receipt-state")).ToContainTextAsync("Waiting for the customer's approval");
        await Expect(runner.Locator("#pin-form")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(runner, "errand-1-runner-waiting-for-approval");

        // The customer's page shows the receipt live, with the amount over the cap and the buttons.
        var card = customer.Locator("#errand-card");
        await Expect(card).ToHaveAttributeAsync("data-receipt", "awaitingCustomer");
        await Expect(customer.Locator("#receipt-amount")).ToContainTextAsync(new Regex(@"31[.,]20"));
        await Expect(customer.Locator("#receipt-over")).ToContainTextAsync(new Regex(@"6[.,]20"));
        await Expect(customer.Locator("#receipt-photo")).ToHaveAttributeAsync("href", "https://photos.example/receipt-77.jpg");
        await Expect(customer.Locator("#receipt-actions")).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(customer, "errand-2-tracking-approve-receipt");
        await customer.Locator("#receipt-approve").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-receipt", "approved");
        await Expect(customer.Locator("#receipt-actions")).ToBeHiddenAsync();
        await Expect(customer.Locator("#receipt-text")).ToContainTextAsync("You approved");

        // The runner is told, and may now deliver.
        await Expect(errand).ToHaveAttributeAsync("data-receipt", "approved");
        await Expect(runner.Locator("#toast")).ToContainTextAsync("approved");
        await Expect(runner.Locator("#pin-form")).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(runner, "errand-3-runner-approved");
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(ReceiptState.Approved, view.BuyForMe!.Receipt);
        Assert.Equal(3120, view.BuyForMe.ApprovedCents);

        // At the drop-off (the server refuses a hand-over farther than 150 m from it), typed as a manual position.
        await runner.Locator("#manual-position").FillAsync(string.Create(CultureInfo.InvariantCulture, $"{DropoffLat}, {DropoffLon}"));
        await runner.Locator("#manual-set").ClickAsync();
        await server.WaitInGeoSetAsync(member.CourierId, DropoffLat, DropoffLon);
        await runner.Locator("#pin").FillAsync(order.Pin!);
        await runner.Locator("#btn-delivered").ClickAsync();
        await Expect(job).ToBeHiddenAsync();
        await Expect(runner.Locator("#delivered-count")).ToHaveTextAsync("1");
        await Expect(runner.Locator("#earnings-today")).Not.ToHaveTextAsync(new Regex(@"^\D*0[.,]00\D*$"));
        await Expect(runner.Locator("#reimbursed-today")).ToContainTextAsync(new Regex(@"31[.,]20"));
        // The ledger's balance: fee, errand surcharge (Ledger:ErrandSurchargeCents 100) and the goods, pending until settled.
        var pending = (await server.GetOrderAsync(order.Id)).CourierFeeCents!.Value + 100 + 3120;
        await Expect(runner.Locator("#balance-pending")).ToContainTextAsync(new Regex(string.Create(CultureInfo.InvariantCulture, $@"{pending / 100}[.,]{pending % 100:00}")));
        await Expect(runner.Locator("#balance-settled")).ToContainTextAsync(new Regex(@"0[.,]00"));
        await HeadlessChromium.ScreenshotAsync(runner, "errand-4-runner-earnings");

        // After delivery the customer rates: stars, a comment, once.
        await Expect(customer.Locator("body")).ToHaveAttributeAsync("data-status", "delivered");
        await Expect(customer.Locator("#rating-card")).ToBeVisibleAsync();
        await Expect(customer.Locator("#rating-submit")).ToBeDisabledAsync();
        await customer.Locator("#stars .star[data-stars='5']").ClickAsync();
        await customer.Locator("#rating-comment").FillAsync("Found the right olive oil!");
        await HeadlessChromium.ScreenshotAsync(customer, "errand-5-tracking-rate");
        await customer.Locator("#rating-submit").ClickAsync();
        await Expect(customer.Locator("#rating-done")).ToContainTextAsync("5 out of 5");
        await Expect(customer.Locator("#rating-form")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(customer, "errand-6-tracking-rated");
        var rated = await server.GetOrderAsync(order.Id);
        Assert.Equal(5, rated.Rating!.Stars);
        Assert.Equal("Found the right olive oil!", rated.Rating.Comment);

        // A reload shows the rating given, not the form again.
        await customer.ReloadAsync();
        await Expect(customer.Locator("#rating-done")).ToContainTextAsync("5 out of 5");

        // End the shift, so this courier takes no offer meant for the next test.
        await runner.Locator("#go-offline").ClickAsync();
        await Expect(runner.Locator("#duty")).ToHaveTextAsync("Offline");

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Customer_rejects_an_over_cap_receipt_and_the_courier_is_told()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var courier = await server.OnlineCourierAtAsync("errandreject", DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(priceCapCents: 1500));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        var customer = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await customer.GotoAsync(new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString());
        await Expect(customer.Locator("#errand-card")).ToBeVisibleAsync();
        await courier.SubmitReceiptAsync(order.Id, 2290);
        await Expect(customer.Locator("#errand-card")).ToHaveAttributeAsync("data-receipt", "awaitingCustomer");
        await HeadlessChromium.ScreenshotAsync(customer, "errand-7-tracking-receipt-desktop");
        await customer.Locator("#receipt-reject").ClickAsync();
        await Expect(customer.Locator("#errand-card")).ToHaveAttributeAsync("data-receipt", "rejected");
        await Expect(customer.Locator("#receipt-text")).ToContainTextAsync("You rejected");

        var told = await courier.ReceiptDecisions.NextAsync(c => c.OrderId == order.Id, what: "rejection push");
        Assert.Equal(ReceiptState.Rejected, told.BuyForMe.Receipt);
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(order.Id)).Status);
        Assert.Empty(chromium.PageErrors);
    }
}
