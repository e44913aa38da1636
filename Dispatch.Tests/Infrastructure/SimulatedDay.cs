using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A small day in Monaco driven through the real server: two orders delivered (one of them cold-chain, after a decline), one
/// cancelled by its merchant; three offers, two accepted. What the statistics must show follows from it.
/// </summary>
public static class SimulatedDay
{
    /// <summary>What happened, as the couriers' own earnings count it (the fees the statistics must add up).</summary>
    public sealed record Outcome(Guid[] Delivered, Guid Cancelled, long FeesCents);

    public static async Task<Outcome> RunAsync(DispatchServer server, string prefix)
    {
        await using var near = await server.OnlineCourierAtAsync($"{prefix}-near", 43.7395, 7.4275);
        await using var far = await server.OnlineCourierAtAsync($"{prefix}-far", 43.7380, 7.4250);

        // Declined by the nearer courier, accepted and delivered by the other.
        var first = await server.CreateOrderAsync();
        await server.PayAsync(first.Id);
        var declined = await near.Offers.NextAsync(o => o.OrderId == first.Id, what: "first offer to the nearer courier");
        await near.DeclineAsync(declined.OfferId, "on a break");
        var taken = await far.Offers.NextAsync(o => o.OrderId == first.Id, what: "first order offered to the other courier");
        await far.AcceptAsync(taken.OfferId);
        await far.ArrivedAsync(first.Id);
        await far.PickedUpAsync(first.Id);
        Assert.Equal(Dispatch.Core.Orders.OrderStatus.Delivered, (await far.DeliverAtDropoffAsync(first)).Status);

        // Frozen goods, accepted and delivered by the nearer courier.
        var frozen = await server.CreateOrderAsync(ColdChainBody());
        await server.PayAsync(frozen.Id);
        var offer = await near.Offers.NextAsync(o => o.OrderId == frozen.Id, what: "frozen order offered to the nearer courier");
        await near.AcceptAsync(offer.OfferId);
        await near.ArrivedAsync(frozen.Id);
        await near.PickedUpAsync(frozen.Id);
        Assert.Equal(Dispatch.Core.Orders.OrderStatus.Delivered, (await near.DeliverAtDropoffAsync(frozen)).Status);

        // Cancelled by its merchant before anyone paid.
        var cancelled = await server.CreateOrderAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{cancelled.Id}/cancel") { Content = JsonContent.Create(new { reason = "out of stock" }) })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync());
            Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(request)).StatusCode);
        }

        var fees = (await near.TodaysEarningsAsync()).FeesCents + (await far.TodaysEarningsAsync()).FeesCents;
        return new Outcome([first.Id, frozen.Id], cancelled.Id, fees);
    }

    private static object ColdChainBody() => new
    {
        kind = "errand",
        requiresColdChain = true,
        pickup = new { lat = DispatchServer.CasinoLat, lon = DispatchServer.CasinoLon, address = "Place du Casino" },
        dropoff = new { lat = DispatchServer.FontvieilleLat, lon = DispatchServer.FontvieilleLon, address = "Quai Jean-Charles Rey" },
        customerName = "Claire Martin",
        customerPhone = "+377 6 12 34 55 71",
        items = new[] { "frozen peas" },
        promisedAt = DateTimeOffset.UtcNow.AddMinutes(45),
    };
}
