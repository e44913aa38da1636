using Dispatch.Core.Contracts;
using Dispatch.Server.Redis;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dispatch.Tests.Server;

/// <summary>
/// The tracking watch directory: a watcher that leaves is forgotten on its node and in Redis; a SIGKILLed node's watch marks
/// run out while a live node's are renewed past their lease.
/// </summary>
public sealed class TrackingWatchTests(TrackingFanOutServer server) : IClassFixture<TrackingFanOutServer>
{
    [Fact]
    public async Task A_watcher_that_disconnects_is_forgotten_on_its_node_and_in_Redis()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        var order = await server.CreateOrderAsync();
        var key = server.Services.GetRequiredService<RedisKeys>().OrderWatchers(order.Id);
        var (nodeA, nodeB) = (Directory(server.Services), Directory(b.Services));
        var (localA, localB) = (server.Services.GetRequiredService<LocalWatchers>(), b.Services.GetRequiredService<LocalWatchers>());

        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var there = await WatchAsync(b.Http.BaseAddress!, order.TrackingToken!);
        Assert.Equal(new[] { nodeA.Node, nodeB.Node }.Order(), (await server.Redis.SortedSetRangeByRankAsync(key)).Select(m => m.ToString()).Order());
        Assert.Single(localA.Of(order.Id));
        Assert.Single(localB.Of(order.Id));
        Assert.True(await nodeA.OthersWatchAsync(order.Id));
        Assert.True(await nodeB.OthersWatchAsync(order.Id));

        await here.DisposeAsync();
        await Eventually.WaitForAsync(async () => (localA.Of(order.Id).Length, await Members(key)),
            s => s.Item1 == 0 && s.Item2.SequenceEqual([nodeB.Node]), "node A's watcher gone from A and from Redis");
        await there.DisposeAsync();
        await Eventually.WaitForAsync(async () => (localB.Of(order.Id).Length, localB.Connections, await server.Redis.KeyExistsAsync(key)),
            s => s is (0, 0, false), "node B's watcher gone from B, and the order's key from Redis");
    }

    [Fact]
    public async Task A_killed_node_s_watch_marks_run_out_while_a_live_node_s_are_renewed()
    {
        server.RequireServices();
        await using var doomed = await NodeProcess.StartAsync(server.NodeSettings());
        var order = await server.CreateOrderAsync();
        var key = server.Services.GetRequiredService<RedisKeys>().OrderWatchers(order.Id);
        var nodeA = Directory(server.Services);

        var here = await WatchAsync(server.BaseUrl, order.TrackingToken!);
        var there = await WatchAsync(doomed.Http.BaseAddress!, order.TrackingToken!);
        Assert.Equal(2, (await Members(key)).Count);
        Assert.True(await nodeA.OthersWatchAsync(order.Id));

        doomed.Kill();
        // No stopping hooks ran: the dead node's mark ends with its lease, A's lives on through renewals past that lease.
        await Eventually.WaitForAsync(() => Members(key), m => m.SequenceEqual([nodeA.Node]), "the killed node's mark run out",
            TimeSpan.FromSeconds(TrackingFanOutServer.ShortWatchSeconds * 4));
        await Eventually.WaitForAsync(() => nodeA.OthersWatchAsync(order.Id), others => !others, "node A no longer counting another node",
            TimeSpan.FromSeconds(TrackingFanOutServer.ShortWatchSeconds * 2));
        await here.DisposeAsync();
        await there.DisposeAsync();
        await Eventually.WaitForAsync(() => server.Redis.KeyExistsAsync(key), exists => !exists, "the order's key gone");
    }

    private static WatchDirectory Directory(IServiceProvider services) => services.GetRequiredService<WatchDirectory>();

    private async Task<List<string>> Members(RedisKey key) => [.. (await server.Redis.SortedSetRangeByRankAsync(key)).Select(m => m.ToString())];

    private static async Task<HubConnection> WatchAsync(Uri node, string token)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(node, HubPaths.Tracking)).AddMessagePackProtocol().Build();
        await connection.StartAsync();
        await connection.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), token);
        return connection;
    }
}
