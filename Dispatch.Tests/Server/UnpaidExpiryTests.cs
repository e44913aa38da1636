using System.Net;
using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Orders never paid are cancelled by the sweep (every second here) once older than Dispatch:UnpaidExpiryMinutes (60): with a
/// timeline row, the tracking page told and its link winding down; a payment arriving after that is refused and changes nothing.
/// </summary>
public sealed class UnpaidExpiryTests(RecoverySweepServer server) : IClassFixture<RecoverySweepServer>
{
    private const string Backdate = "update orders set created_at = created_at - make_interval(mins => $2) where id = $1 returning 1";

    [Fact]
    public async Task An_order_placed_61_minutes_ago_is_cancelled_and_a_later_payment_is_refused()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        var fresh = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var statuses = new Inbox<OrderStatusChanged>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);

        await server.ScalarAsync(Backdate, order.Id, 61);

        await statuses.NextAsync(s => s.OrderId == order.Id && s.Status == OrderStatus.Cancelled, TimeSpan.FromSeconds(20), "Cancelled push after the sweep");
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Cancelled, view.Status);
        var row = view.Timeline[^1];
        Assert.Equal((OrderStatus.Cancelled, UnpaidExpiryCoordinator.Actor, "not paid within 60 minutes"), (row.Status, row.Actor, row.Note));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and tracking_expires_at <= now() + interval '61 minutes'", order.Id));

        var before = await RowAsync(order.Id);
        var paid = await server.PayAsync(order.Id);
        Assert.Equal(HttpStatusCode.Conflict, paid.StatusCode);
        Assert.Contains("already Cancelled; it cannot be paid", await paid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await RowAsync(order.Id));
        // One sweep later (it runs every second, and the cancellation above came from one), the fresh order is still waiting for its payment.
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(fresh.Id)).Status);
    }

    [Fact]
    public async Task Two_nodes_sweeping_at_once_cancel_each_unpaid_order_once()
    {
        server.RequireServices();
        await using var second = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server));
        var orders = new Guid[6];
        for (var i = 0; i < orders.Length; i++) orders[i] = (await server.CreateOrderAsync()).Id;
        await server.ScalarAsync("update orders set created_at = created_at - interval '2 hours' where id = any($1) returning 1", orders);

        await Task.WhenAll(
            server.Services.GetRequiredService<UnpaidExpiryCoordinator>().SweepAsync(TestContext.Current.CancellationToken),
            second.Services.GetRequiredService<UnpaidExpiryCoordinator>().SweepAsync(TestContext.Current.CancellationToken));
        // The nodes' own sweeps may have come first; either way each order is cancelled exactly once.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from orders where id = any($1) and status = 10", orders), n => n == orders.Length,
            "the unpaid orders cancelled");
        Assert.Equal(orders.Length, await server.ScalarAsync("select count(*) from order_events where order_id = any($1) and actor = 'system:unpaid-expiry'", orders));
    }

    [Fact]
    public async Task A_payment_that_loses_the_race_to_a_cancellation_is_refused()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        // A cancellation (as the expiry makes it) holds the row while the payment reads it still Placed and waits on the update.
        await using var connection = await server.Db.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var tx = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var cancel = new Npgsql.NpgsqlCommand("update orders set status = 10, version = version + 1 where id = $1", connection, tx))
        {
            cancel.Parameters.Add(new Npgsql.NpgsqlParameter { Value = order.Id });
            await cancel.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        var payment = server.PayAsync(order.Id);
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'UPDATE orders%'"),
            n => n == 1, "the payment's update waiting on the cancellation's row lock");
        await tx.CommitAsync(TestContext.Current.CancellationToken);

        var paid = await payment;
        Assert.Equal(HttpStatusCode.Conflict, paid.StatusCode);
        Assert.Contains("already Cancelled; it cannot be paid", await paid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(((long)OrderStatus.Cancelled, 1L), (await server.ScalarAsync("select status from orders where id = $1", order.Id),
            await server.ScalarAsync("select count(*) from order_events where order_id = $1", order.Id)));
    }

    private async Task<(long Status, long Version, long Events)> RowAsync(Guid orderId) => (
        await server.ScalarAsync("select status from orders where id = $1", orderId),
        await server.ScalarAsync("select version from orders where id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1", orderId));
}
