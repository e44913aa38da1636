using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>A batch round writes all its offers at once, but only for orders still in the status it read.</summary>
public sealed class BatchRoundRaceTests(BatchServer server) : IClassFixture<BatchServer>, IAsyncDisposable
{
    /// <summary>A paid order left waiting would ride in the next test's round (bundles of one pickup): cancelled after each test.</summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    private const double Lon = 7.4200;

    private static double North(double metres) => 43.7330 + metres / 111_320.0;

    [Fact]
    public async Task An_order_cancelled_while_the_round_runs_is_not_offered_and_the_others_are()
    {
        server.RequireServices();
        await using var near = await server.OnlineCourierAtAsync("race-a", North(100), Lon);
        await using var far = await server.OnlineCourierAtAsync("race-b", North(1_300), Lon);
        var kept = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: North(0), pickupLon: Lon, dropoffLat: North(300), dropoffLon: 7.4250));
        var cancelled = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: North(1_400), pickupLon: Lon, dropoffLat: North(1_600), dropoffLon: 7.4250));
        await server.PayAsync(kept.Id);
        await server.PayAsync(cancelled.Id);

        // Another writer cancels one order and holds its row: the round reads it as Paid, then its conditional update waits.
        await using var connection = await server.Db.OpenConnectionAsync();
        await using var cancel = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("update orders set status = $1, version = version + 1 where id = $2", connection, cancel))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = (int)OrderStatus.Cancelled });
            update.Parameters.Add(new NpgsqlParameter { Value = cancelled.Id });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var round = server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None);
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var waiting = server.Db.CreateCommand("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
                return (long)(await waiting.ExecuteScalarAsync())!;
            },
            n => n > 0 || round.IsCompleted, "the round waiting on the cancelled order's row");
        Assert.False(round.IsCompleted, "the round should wait for the row the cancel holds");
        await cancel.CommitAsync();

        Assert.Equal(1, await round);
        await near.Offers.NextAsync(o => o.OrderId == kept.Id, what: "the order still paid is offered");
        Assert.Equal(OrderStatus.Offered, (await server.GetOrderAsync(kept.Id)).Status);
        Assert.Equal(OrderStatus.Cancelled, (await server.GetOrderAsync(cancelled.Id)).Status);
        await using var stored = server.Db.CreateCommand(
            "select (select count(*) from offers where order_id = $1), (select count(*) from dispatch_decisions where order_id = $1), " +
            "(select count(*) from order_events where order_id = $1 and actor = 'dispatch'), (select count(*) from offers where order_id = $2)");
        stored.Parameters.Add(new NpgsqlParameter { Value = cancelled.Id });
        stored.Parameters.Add(new NpgsqlParameter { Value = kept.Id });
        await using var reader = await stored.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((0L, 0L, 0L, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        Assert.DoesNotContain(far.Offers.Drain(), o => o.OrderId == cancelled.Id);
    }

    [Fact]
    public async Task Searching_many_pickups_at_once_finds_the_same_couriers_as_one_by_one()
    {
        server.RequireServices();
        // Dense and sparse places in one zone: the quarter-radius shortcut must give the full ring's answer either way.
        const string zone = "locator-check";
        var random = new Random(7);
        var locator = server.Services.GetRequiredService<FleetReader>();
        var writer = server.Services.GetRequiredService<FleetWriter>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 400; i++)
        {
            var spread = i < 300 ? 0.004 : 0.03;
            var snapshot = new CourierSnapshot(Guid.NewGuid(), zone, 43.7330 + (random.NextDouble() - 0.5) * spread, 7.4200 + (random.NextDouble() - 0.5) * spread,
                now, Equipment.None, Vehicle.Scooter, 2, 0, CourierActivity.Idle);
            await server.Redis.GeoAddAsync(server.Keys.ZoneCouriers(zone), snapshot.Lon, snapshot.Lat, FleetKeys.Member(snapshot.CourierId));
            await writer.SaveAsync(snapshot);
        }
        var points = Enumerable.Range(0, 60).Select(_ => new LatLon(43.7330 + (random.NextDouble() - 0.5) * 0.03, 7.4200 + (random.NextDouble() - 0.5) * 0.03)).ToList();
        foreach (var (radius, count) in new[] { (1_500.0, 30), (400.0, 30), (3_000.0, 5) })
        {
            var many = await locator.NearestManyAsync(zone, points, radius, count);
            for (var i = 0; i < points.Count; i++)
            {
                var one = await locator.NearestAsync(zone, points[i], radius, count);
                Assert.Equal(one.Select(c => (c.Courier.CourierId, c.DistanceMetres)), many[i].Select(c => (c.Courier.CourierId, c.DistanceMetres)));
            }
        }
    }
}
