using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>A background loop whose work throws something unexpected keeps the node up, says so once, counts it and works again.</summary>
public sealed class BackgroundLoopTests(FaultyLoopServer server) : IClassFixture<FaultyLoopServer>
{
    private const string Flush = "location-flush";

    [Fact]
    public async Task A_failing_location_flush_is_logged_once_counted_and_flushes_the_fixes_sent_meanwhile()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bg-flush", DispatchServer.CasinoLat, DispatchServer.CasinoLon);

        server.Faults.Arm(Flush, 3);
        var result = await courier.MoveToAsync(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        Assert.Equal(1, result.Accepted);

        // The fix sent while the flush fails reaches Redis once the faults are over.
        await server.WaitInGeoSetAsync(courier.Id, DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        Assert.Equal(3, server.Faults.Thrown(Flush));
        Assert.Equal("\"ok\"", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var line = Assert.Single(server.FailureLines(Flush));
        Assert.Contains("flushing couriers' positions", line, StringComparison.Ordinal);
        Assert.Contains("injected fault 1 in location-flush", line, StringComparison.Ordinal);

        var stats = await (await server.CallAsync(HttpMethod.Get, "/api/metrics/pipeline", "admin")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, stats.GetProperty("loopFailures").GetProperty(Flush).GetInt64());
    }

    [Fact]
    public async Task An_offer_still_expires_after_the_dispatch_loop_failed()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("bg-expiry", DispatchServer.CasinoLat + 0.0001, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the offer left unanswered");

        server.Faults.Arm("dispatch", 3);
        var withdrawn = await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, TimeSpan.FromSeconds(10), "expiry notice after the loop's faults");
        Assert.Contains("expired", withdrawn.Reason, StringComparison.Ordinal);
        Assert.Equal(3, server.Faults.Thrown("dispatch"));
        Assert.Equal("\"ok\"", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Contains("expiring offers", Assert.Single(server.FailureLines("dispatch")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_courier_orders_reload_keeps_the_node_up_and_reloads_after_the_faults()
    {
        server.RequireServices();
        const string Loop = "courier-orders";
        await using var courier = await server.OnlineCourierAtAsync("bg-orders", DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var session = server.Services.GetRequiredService<Dispatch.Server.Fleet.OnlineCouriers>().Find(courier.Id)!;
        var channel = StackExchange.Redis.RedisChannel.Literal($"{server.RedisPrefix}:courier-orders");

        // A load this node got wrong (the courier has no order); a change of their orders handed to another node puts
        // their id on the courier-orders channel, and the reload from PostgreSQL sets it right.
        async Task ReloadedAfterAsync(string what)
        {
            lock (session.Sync) session.ActiveOrders = 3;
            await server.Redis.PublishAsync(channel, courier.Id.ToString("N"));
            await Eventually.WaitForAsync(() => Task.FromResult(session.ActiveOrders), n => n == 0, what, TimeSpan.FromSeconds(10));
        }

        server.Faults.Arm(Loop, 2);
        await ReloadedAfterAsync("the courier's orders reloaded once the loop's faults are over");
        Assert.Equal(2, server.Faults.Thrown(Loop));
        Assert.Equal("\"ok\"", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Contains("reloading a courier's orders", Assert.Single(server.FailureLines(Loop)), StringComparison.Ordinal);

        await ReloadedAfterAsync("the next message reloaded too");
    }
}
