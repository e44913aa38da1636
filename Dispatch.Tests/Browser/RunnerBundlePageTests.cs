using System.Globalization;
using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// A bundle offer on the courier's runner page (/runner/) in headless Chromium against the real server: a batch round gives
/// two orders of one restaurant to the one courier near it, the page shows them as one card, and one Accept gives the
/// courier both jobs. Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class RunnerBundlePageTests(BatchServer server) : IClassFixture<BatchServer>
{
    private const double Lon = 7.4200;

    private static double North(double metres) => 43.7330 + metres / 111_320.0;

    [Fact]
    public async Task Two_orders_of_one_restaurant_are_one_card_and_one_accept_gives_both_jobs()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("runnerbundle", 1))[0];
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        var query = string.Create(CultureInfo.InvariantCulture, $"?lat={North(150)}&lon={Lon}");
        try
        {
            await phone.GotoAsync(new Uri(server.BaseUrl, $"/runner/{query}#token={Uri.EscapeDataString(member.Token)}").ToString());
            await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
            await phone.Locator("#equipment label", new() { HasText = "Insulated box" }).ClickAsync();
            await phone.Locator("#go-online").ClickAsync();
            await Expect(phone.Locator("#duty")).ToHaveTextAsync("Online");
            await server.WaitInGeoSetAsync(member.CourierId, North(150), Lon);

            var first = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(0), pickupLon: Lon, dropoffLat: North(400), dropoffLon: 7.4250));
            var second = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: North(0), pickupLon: Lon, dropoffLat: North(500), dropoffLon: 7.4230));
            await server.PayAsync(first.Id);
            await server.PayAsync(second.Id);
            Assert.Equal(2, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None));

            // One card naming both orders and both drop-offs, one pickup.
            await Expect(phone.Locator("#offer")).ToBeVisibleAsync();
            var number = phone.Locator("#offer-number");
            await Expect(number).ToContainTextAsync(first.Number);
            await Expect(number).ToContainTextAsync(second.Number);
            await Expect(number).ToContainTextAsync("2 orders, one pickup");
            await Expect(phone.Locator("#offer-dropoff")).ToContainTextAsync($"{first.Number}: ");
            await Expect(phone.Locator("#offer-dropoff")).ToContainTextAsync($"{second.Number}: ");
            await HeadlessChromium.ScreenshotAsync(phone, "runner-bundle-offer");

            // One Accept: both are the courier's, the second waiting after the first.
            await phone.Locator("#accept").ClickAsync();
            await Expect(phone.Locator("#offer")).ToBeHiddenAsync();
            await Expect(phone.Locator("#job")).ToBeVisibleAsync();
            await Expect(phone.Locator("#job-more")).ToHaveTextAsync("1 more order after this one.");
            await HeadlessChromium.ScreenshotAsync(phone, "runner-bundle-accepted");
            foreach (var order in new[] { first, second })
            {
                Assert.Equal(OrderStatus.Accepted, (await server.GetOrderAsync(order.Id)).Status);
                Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2", order.Id, member.CourierId));
            }
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }
}
