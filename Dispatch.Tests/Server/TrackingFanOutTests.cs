using System.Collections.Concurrent;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dispatch.Tests.Server;

/// <summary>
/// Customer pushes go straight to watchers on the courier's node and through the backplane only to other nodes' watchers:
/// each watcher gets every push once and in order, wherever it is, also one that joins on another node after the courier's node
/// had looked up that nobody else watched (the watch-added channel corrects its cached answer; the cache itself lasts 20 s here).
/// </summary>
public sealed class TrackingFanOutTests(LongWatchFanOutServer server) : IClassFixture<LongWatchFanOutServer>
{
    [Fact]
    public async Task Watchers_on_the_pushing_node_and_on_another_node_each_get_every_push_once_and_in_order()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await using var courier = await server.OnlineCourierAtAsync("fanout-once", pickup.Lat, pickup.Lon);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        // Every backplane message to the order's group that carries a position (SignalR's channel ends with the group's name).
        var published = 0;
        var channel = await server.Services.GetRequiredService<IConnectionMultiplexer>().GetSubscriber()
            .SubscribeAsync(RedisChannel.Pattern($"*:group:{TrackingGroups.Order(order.Id)}"));
        channel.OnMessage(m =>
        {
            if (((byte[])m.Message!).AsSpan().IndexOf("CourierMoved"u8) >= 0) Interlocked.Increment(ref published);
        });

        // The courier's node is A. First only a customer on A watches, so A has looked up (and remembers for 20 s) that no other
        // node does, and writes to it without Redis.
        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var moves = new List<LatLon>();
        await MoveAsync(1, [here]);
        Assert.Equal(0, Volatile.Read(ref published));
        var there = await WatchAsync(b.Http.BaseAddress!, order.TrackingToken!);
        for (var i = 2; i <= 6; i++) await MoveAsync(i, [here, there]);
        // One more: a second copy of any push before it (through Redis, quicker than a flush) would be in by now.
        await MoveAsync(7, [here, there]);

        // The steps' own fixes at the pickup may be flushed after a watcher joined: a push of where the courier stood before
        // the first move is a true position, not a copy, so only those leading ones are left out.
        Assert.Equal(Shown(moves), Shown(here.Received(order.Id)).SkipWhile(p => p == Shown([pickup])[0]));
        Assert.Equal(Shown(moves.Skip(1)), Shown(there.Received(order.Id)).SkipWhile(p => p == Shown([pickup])[0]));
        // Once B watches, one backplane message per push (for B alone: A's watcher is on the except list).
        await Eventually.WaitForAsync(() => Task.FromResult(Volatile.Read(ref published)), n => n >= 6, "the pushes to node B through Redis");
        Assert.Equal(6, Volatile.Read(ref published));
        await channel.UnsubscribeAsync();
        await here.Connection.DisposeAsync();
        await there.Connection.DisposeAsync();

        async Task MoveAsync(int step, Watcher[] watchers)
        {
            var at = GeoMath.StepToward(pickup, dropoff, 40 * step);
            moves.Add(at);
            Assert.Equal(1, (await courier.MoveToAsync(at.Lat, at.Lon)).Accepted);
            foreach (var w in watchers)
                await w.Inbox.NextAsync(m => m.OrderId == order.Id && Math.Abs(m.Lat - at.Lat) < 1e-6 && Math.Abs(m.Lon - at.Lon) < 1e-6, what: $"push {step} on {w.Url}");
        }
    }

    private static List<string> Shown(IEnumerable<LatLon> positions) => [.. positions.Select(p => $"{p.Lat:F6},{p.Lon:F6}")];

    private static List<string> Shown(IEnumerable<CourierPosition> positions) => [.. positions.Select(p => $"{p.Lat:F6},{p.Lon:F6}")];

    private static async Task<Watcher> WatchAsync(Uri node, string token)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(node, HubPaths.Tracking)).AddMessagePackProtocol().Build();
        var watcher = new Watcher(node, connection, new Inbox<CourierPosition>(), new ConcurrentQueue<CourierPosition>());
        connection.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), m =>
        {
            watcher.All.Enqueue(m);
            return watcher.Inbox.Handler(m);
        });
        await connection.StartAsync();
        await connection.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), token);
        return watcher;
    }

    private sealed record Watcher(Uri Url, HubConnection Connection, Inbox<CourierPosition> Inbox, ConcurrentQueue<CourierPosition> All)
    {
        public List<CourierPosition> Received(Guid orderId) => [.. All.Where(m => m.OrderId == orderId)];
    }
}
