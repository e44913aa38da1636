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
/// each watcher gets every push once and in order, wherever it is; a watcher that leaves is forgotten on its node and in
/// Redis; a dead node's watch marks run out.
/// </summary>
public sealed class TrackingFanOutTests(TrackingFanOutServer server) : IClassFixture<TrackingFanOutServer>
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

        // The courier's node is A. First only a customer on A watches, so A has looked up (and remembers) that no other node
        // does, and writes to it without Redis.
        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var moves = new List<LatLon>();
        await MoveAsync(1, [here]);
        Assert.Equal(0, Volatile.Read(ref published));
        var there = await WatchAsync(b.Http.BaseAddress!, order.TrackingToken!);
        for (var i = 2; i <= 6; i++) await MoveAsync(i, [here, there]);
        // One more: a second copy of any push before it (through Redis, quicker than a flush) would be in by now.
        await MoveAsync(7, [here, there]);

        Assert.Equal(Shown(moves), Shown(here.Received(order.Id)));
        Assert.Equal(Shown(moves.Skip(1)), Shown(there.Received(order.Id)));
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

    [Fact]
    public async Task A_watcher_that_disconnects_is_forgotten_on_its_node_and_in_Redis()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        var order = await server.CreateOrderAsync();
        var key = server.Keys.OrderWatchers(order.Id);
        var (nodeA, nodeB) = (Directory(server.Services), Directory(b.Services));
        var (localA, localB) = (server.Services.GetRequiredService<LocalWatchers>(), b.Services.GetRequiredService<LocalWatchers>());

        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var there = await WatchAsync(b.Http.BaseAddress!, order.TrackingToken!);
        Assert.Equal([nodeA.Node, nodeB.Node], (await server.Redis.SortedSetRangeByRankAsync(key)).Select(m => m.ToString()).Order());
        Assert.Single(localA.Of(order.Id));
        Assert.Single(localB.Of(order.Id));
        Assert.True(await nodeA.OthersWatchAsync(order.Id));
        Assert.True(await nodeB.OthersWatchAsync(order.Id));

        await here.Connection.DisposeAsync();
        await Eventually.WaitForAsync(async () => (localA.Of(order.Id).Length, await Members(key)),
            s => s.Item1 == 0 && s.Item2.SequenceEqual([nodeB.Node]), "node A's watcher gone from A and from Redis");
        await there.Connection.DisposeAsync();
        await Eventually.WaitForAsync(async () => (localB.Of(order.Id).Length, localB.Connections, await server.Redis.KeyExistsAsync(key)),
            s => s is (0, 0, false), "node B's watcher gone from B, and the order's key from Redis");
    }

    [Fact]
    public async Task A_killed_node_s_watch_marks_run_out_while_a_live_node_s_are_renewed()
    {
        server.RequireServices();
        await using var doomed = await NodeProcess.StartAsync(server.NodeSettings());
        var order = await server.CreateOrderAsync();
        var key = server.Keys.OrderWatchers(order.Id);
        var nodeA = Directory(server.Services);

        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var there = await WatchAsync(doomed.Http.BaseAddress!, order.TrackingToken!);
        Assert.Equal(2, (await Members(key)).Count);
        Assert.True(await nodeA.OthersWatchAsync(order.Id));

        doomed.Kill();
        // No stopping hooks ran: the dead node's mark ends with its lease, A's lives on through renewals past that lease.
        await Eventually.WaitForAsync(() => Members(key), m => m.SequenceEqual([nodeA.Node]), "the killed node's mark run out",
            TimeSpan.FromSeconds(TrackingFanOutServer.WatchSeconds * 4));
        await Eventually.WaitForAsync(() => nodeA.OthersWatchAsync(order.Id), others => !others, "node A no longer counting another node",
            TimeSpan.FromSeconds(TrackingFanOutServer.WatchSeconds * 2));
        await here.Connection.DisposeAsync();
        await there.Connection.DisposeAsync();
        await Eventually.WaitForAsync(() => server.Redis.KeyExistsAsync(key), exists => !exists, "the order's key gone");
    }

    private static WatchDirectory Directory(IServiceProvider services) => services.GetRequiredService<WatchDirectory>();

    private async Task<List<string>> Members(RedisKey key) => [.. (await server.Redis.SortedSetRangeByRankAsync(key)).Select(m => m.ToString())];

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
