using Dispatch.Server.Couriers;
using Dispatch.Server.Fleet;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A courier's load and the book of the node holding them follow a committed change from the outbox relay
/// (<see cref="CourierLoadEffects"/>), read from PostgreSQL: an event handed over again counts nothing twice, and an event
/// handed to a node that does not hold the courier reaches the node that does.
/// </summary>
public sealed class CourierLoadEffectsTests(MultiNodeServer server) : IClassFixture<MultiNodeServer>
{
    private const double Lat = 43.7405, Lon = 7.4220;

    [Fact]
    public async Task Events_handed_over_again_count_the_courier_s_order_once()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("load-replay", Lat, Lon);
        var order = await AcceptedOrderAsync(courier);
        try
        {
            var reader = server.Services.GetRequiredService<FleetReader>();
            await Eventually.WaitForAsync(() => reader.GetAsync(courier.Id), s => s is { ActiveOrders: 1 }, "one order in Redis after the accept");
            await WaitProcessedAsync(order);

            // As after a crash between the consumers and the mark: the relay hands every event of the order over again.
            var again = await server.ScalarAsync("with r as (update outbox set processed_at = null where order_id = $1 returning 1) select count(*) from r", order);
            Assert.True(again >= 2, $"{again} event(s) to hand over again");
            await WaitProcessedAsync(order);

            Assert.Equal(1, server.Services.GetRequiredService<OnlineCouriers>().Find(courier.Id)!.ActiveOrders);
            Assert.Equal(1, (await reader.GetAsync(courier.Id))!.ActiveOrders);
            Assert.Single(server.Services.GetRequiredService<AssignmentBook>().For(courier.Id), a => a.OrderId == order);
        }
        finally
        {
            await CancelAsync(order);
        }
    }

    [Fact]
    public async Task An_accept_handed_to_a_node_not_holding_the_courier_reaches_the_node_that_does()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        await using var courier = await server.OnlineCourierAtAsync("load-nodes", Lat, Lon);
        var order = await AcceptedOrderAsync(courier);
        try
        {
            await WaitProcessedAsync(order);
            // Node A (the courier's) made to forget the accept, in memory and in Redis, as if its own handling had been lost.
            var session = server.Services.GetRequiredService<OnlineCouriers>().Find(courier.Id)!;
            var book = server.Services.GetRequiredService<AssignmentBook>();
            Dispatch.Core.Couriers.CourierSnapshot forgotten;
            lock (session.Sync)
            {
                session.ActiveOrders = 0;
                forgotten = session.ToSnapshot()!;
            }
            book.Set(courier.Id, []);
            await server.Services.GetRequiredService<FleetWriter>().SaveAsync(forgotten);

            // Node B's relay has the accept: B holds no session of this courier, so it tells the node that does.
            var consumer = b.Services.GetServices<IOutboxConsumer>().OfType<CourierLoadEffects>().Single();
            await consumer.HandleAsync([await AcceptEventAsync(order)], TestContext.Current.CancellationToken);

            await Eventually.WaitForAsync(() => Task.FromResult(book.For(courier.Id).Any(a => a.OrderId == order)), held => held,
                "node A's book holding the order again");
            Assert.Equal(1, session.ActiveOrders);
            await Eventually.WaitForAsync(() => server.Services.GetRequiredService<FleetReader>().GetAsync(courier.Id), s => s is { ActiveOrders: 1 },
                "the courier's load of one order in Redis again");
        }
        finally
        {
            await CancelAsync(order);
        }
    }

    private async Task<Guid> AcceptedOrderAsync(TestCourier courier)
    {
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer");
        Assert.Equal(order.Id, (await courier.AcceptAsync(offer.OfferId)).Job.OrderId);
        return order.Id;
    }

    /// <summary>The accept's order.status event as the relay hands it to its consumers.</summary>
    private async Task<OutboxEvent> AcceptEventAsync(Guid order)
    {
        await using var read = server.Db.CreateCommand(
            "select id, event_id, kind, order_id, created_at, payload::text from outbox where order_id = $1 and kind = 'order.status' and payload->>'to' = 'accepted'");
        read.Parameters.Add(new Npgsql.NpgsqlParameter { Value = order });
        await using var row = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await row.ReadAsync(TestContext.Current.CancellationToken), "the accept's outbox row");
        return new OutboxEvent(row.GetInt64(0), row.GetGuid(1), row.GetString(2), row.GetGuid(3), row.GetFieldValue<DateTimeOffset>(4), row.GetString(5));
    }

    private Task<long> WaitProcessedAsync(Guid order) => Eventually.WaitForAsync(
        () => server.ScalarAsync("select count(*) from outbox where order_id = $1 and processed_at is null", order), n => n == 0,
        "the order's outbox events processed");

    // An accepted order left open would hold this courier's load in the next test.
    private async Task CancelAsync(Guid order)
    {
        using var _ = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order}/cancel", "dispatcher", new { reason = "test over" });
    }
}
