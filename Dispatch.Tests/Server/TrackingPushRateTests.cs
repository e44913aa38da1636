using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>Customers get the courier's moves at a bounded rate (default once a second), and never miss the latest one.</summary>
public sealed class TrackingPushRateTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_burst_of_fixes_reaches_the_customer_at_most_once_a_second_ending_with_the_last_position()
    {
        server.RequireServices();
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await using var courier = await server.OnlineCourierAtAsync("rate", pickup.Lat, pickup.Lon);
        var order = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var moves = new Inbox<CourierPosition>();
        var received = new ConcurrentQueue<(long At, CourierPosition Position)>();
        tracking.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), m =>
        {
            received.Enqueue((Stopwatch.GetTimestamp(), m));
            return moves.Handler(m);
        });
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        received.Clear();

        // Carrying the order (exact positions): 15 fixes 20 m apart, sent back to back, several per flush and per second.
        var burst = Stopwatch.StartNew();
        var last = pickup;
        for (var i = 1; i <= 15; i++)
        {
            last = GeoMath.StepToward(pickup, dropoff, 20 * i);
            Assert.Equal(1, (await courier.MoveToAsync(last.Lat, last.Lon)).Accepted);
        }
        var sent = courier.LastFixTime;
        var final = await moves.NextAsync(m => m.OrderId == order.Id && m.At >= sent, what: "the last position of the burst");
        Assert.Equal(last.Lat, final.Lat, 6);
        Assert.Equal(last.Lon, final.Lon, 6);
        Assert.False(final.Coarse);

        var pushes = received.Where(r => r.Position.OrderId == order.Id).Select(r => r.At).ToList();
        var gaps = pushes.Zip(pushes.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToList();
        Assert.True(gaps.All(g => g > 700), $"pushes {string.Join(", ", gaps.Select(g => $"{g:0} ms"))} apart; the limit is 1 s");
        Assert.True(pushes.Count <= 2 + (int)burst.Elapsed.TotalSeconds, $"{pushes.Count} pushes in {burst.Elapsed.TotalSeconds:0.0} s for 15 fixes");
    }
}
