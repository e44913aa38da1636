using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Orders;
using Dispatch.Server.Zones;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// The batch round's one-statement write (<see cref="OrderTransitions.MoveManyCommand"/>): its outbox event is the same as a
/// single move's (merchant, number, zone, first and last status) but for the note, which only a move into Cancelled or Failed
/// carries (the reason consumers read), its timeline keeps every move in order with the note, and an order
/// whose version changed since it was read, or a zone whose fence was taken over, is left exactly as it was.
/// </summary>
public sealed class BatchMoveTests(BatchServer server) : IClassFixture<BatchServer>, IAsyncDisposable
{
    /// <summary>A paid order left waiting would ride in the next test's round (bundles of one pickup): cancelled after each test.</summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    [Fact]
    public async Task A_batch_rounds_outbox_event_names_the_orders_merchant_number_and_both_statuses()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("batch-move", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync(merchant: "shop-batch-move");
        await server.PayAsync(order.Id);

        Assert.Equal(1, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

        await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the batch round's offer");
        // The webhook consumer routes on the merchant: an event naming none reaches no merchant.
        Assert.Equal(1, await server.ScalarAsync("""
            select count(*) from outbox o join orders r on r.id = o.order_id
            where o.order_id = $1 and o.kind = 'order.status' and o.payload->>'from' = 'paid' and o.payload->>'to' = 'offered'
              and o.payload->>'merchantId' = 'shop-batch-move' and (o.payload->>'number')::bigint = r.number
              and o.payload->>'zone' = 'monaco' and o.payload->>'actor' = 'dispatch' and o.payload->>'note' is null
            """, order.Id));
        // The offer's note (which courier, how far) is the timeline's: no consumer reads it from the event of a move to Offered.
        Assert.Equal(["dispatching:", "offered:courier"], await server.DispatcherTimelineAsync(order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 0", order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", order.Id));
    }

    [Fact]
    public async Task An_order_whose_version_changed_since_the_read_is_not_moved()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var version = (int)await server.ScalarAsync("select version from orders where id = $1", order.Id);
        var fence = server.Services.GetRequiredService<ZoneLeadership>().FenceFor("monaco") ?? throw new InvalidOperationException("the test node leads monaco");

        // Read at an older version (the order changed since, its status the same): nothing of it is written.
        Assert.Empty(await MoveAsync(await HeadAsync(order.Id, version - 1), fence));
        Assert.Equal((long)OrderStatus.Paid, await server.ScalarAsync("select status from orders where id = $1", order.Id));
        Assert.Equal(version, (int)await server.ScalarAsync("select version from orders where id = $1", order.Id));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and actor = 'test-batch'", order.Id));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from outbox where order_id = $1 and payload->>'actor' = 'test-batch'", order.Id));

        // A superseded fence (another node took the zone over): nothing either.
        Assert.Empty(await MoveAsync(await HeadAsync(order.Id, version), fence with { Token = fence.Token - 1 }));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and actor = 'test-batch'", order.Id));

        // As read, under the zone's own fence: moved once, with its event and outbox row.
        Assert.Equal([order.Id], await MoveAsync(await HeadAsync(order.Id, version), fence));
        Assert.Equal((long)OrderStatus.Dispatching, await server.ScalarAsync("select status from orders where id = $1", order.Id));
        Assert.Equal(version + 1, (int)await server.ScalarAsync("select version from orders where id = $1", order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and actor = 'test-batch' and status = 2", order.Id));
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where order_id = $1 and payload->>'actor' = 'test-batch' and payload->>'from' = 'paid' and payload->>'to' = 'dispatching'", order.Id));

        // Left waiting, it would be the older order in the next round and take the first test's only courier.
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_move_the_state_machine_refuses_is_left_out()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        var version = (int)await server.ScalarAsync("select version from orders where id = $1", order.Id);
        var fence = server.Services.GetRequiredService<ZoneLeadership>().FenceFor("monaco") ?? throw new InvalidOperationException("the test node leads monaco");

        // Placed (never paid) cannot be offered.
        Assert.Empty(await MoveAsync(await HeadAsync(order.Id, version) with { Status = OrderStatus.Placed }, fence, OrderTrigger.Offer));
        Assert.Equal((long)OrderStatus.Placed, await server.ScalarAsync("select status from orders where id = $1", order.Id));
    }

    /// <summary>The order as a batch round would have read it: paid, at <paramref name="version"/>.</summary>
    private async Task<OrderHead> HeadAsync(Guid id, int version) =>
        new(id, await server.ScalarAsync("select number from orders where id = $1", id), "shop-1", "monaco", OrderStatus.Paid, version, null);

    private async Task<List<Guid>> MoveAsync(OrderHead head, ZoneFence fence, OrderTrigger trigger = OrderTrigger.StartDispatch)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await server.Db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var moved = new List<Guid>();
        await using (var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands = { OrderTransitions.MoveManyCommand([new BatchMove(head, [trigger], null)], "test-batch", DateTimeOffset.UtcNow, fence) },
        })
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) moved.Add(reader.GetGuid(0));
        }
        await tx.CommitAsync(ct);
        return moved;
    }
}
