using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every write of <c>orders.status</c> goes through <c>Orders/OrderTransitions</c>, which writes the order_events and outbox
/// rows with it: a scan of the server's sources finds no other writer than the allowed ones.
/// </summary>
public sealed class OrderTransitionsOnlyTests
{
    /// <summary>(file, what) the scan may find, and why.</summary>
    private static readonly Dictionary<(string File, string What), string> Allowed = new()
    {
        [("Orders/OrderTransitions.cs", "EF SetProperty on orders.Status")] = "the transition path itself",
        [("Orders/OrderTransitions.cs", "SQL update of orders.status")] = "the transition path's set-based moves for the batch round",
        [("Orders/OrderTransitions.cs", "Status assigned on a variable")] = "a new order starts Placed (with its event and outbox row)",
        [("Dispatching/WaitingOrders.cs", "OrderRecord created with a Status")] = "materialises rows read for a batch round; never saved",
    };

    [Fact]
    public void Only_the_transition_path_writes_an_orders_status()
    {
        var server = Path.Combine(RepoPaths.Root(), "Dispatch.Server");
        var hits = StatusWriterScan.Scan(server).Where(h => !Allowed.ContainsKey((h.File, h.What))).ToList();
        Assert.True(hits.Count == 0,
            "Write an order's status through OrderTransitions (it writes the order_events and outbox rows with it); found:\n"
            + string.Join('\n', hits.Select(h => $"  {h.File}:{h.Line} {h.What}: {h.Text}")));
    }

    [Fact]
    public void Every_allowed_writer_is_still_there()
    {
        // An allow-list entry whose code is gone would let a new writer in that file through unseen.
        var server = Path.Combine(RepoPaths.Root(), "Dispatch.Server");
        var found = StatusWriterScan.Scan(server).Select(h => (h.File, h.What)).ToHashSet();
        var stale = Allowed.Keys.Where(k => !found.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Allowed but no longer found (remove from the allow-list): " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData("await db.Orders.Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid), ct);")]
    [InlineData("await db.Orders\n  .Where(x => x.Id == id)\n  .ExecuteUpdateAsync(s => s.SetProperty(x => x.CourierId, c).SetProperty(x => x.Status, to), ct);")]
    [InlineData("var sql = \"update orders set status = $3, version = version + 1 where id = any($1)\";")]
    [InlineData("var sql = \"\"\"\n  UPDATE orders o SET courier_id = null, status = 2 WHERE o.id = $1\n  \"\"\";")]
    [InlineData("order.Status = OrderStatus.Cancelled; await db.SaveChangesAsync(ct);")]
    [InlineData("db.Orders.Add(new OrderRecord { Id = id, Status = OrderStatus.Paid, Zone = z });")]
    [InlineData("var q = db.Orders.Where(o => o.Id == id);\nawait q.ExecuteUpdateAsync(s => { s.SetProperty(o => o.Status, to); }, ct);")]
    [InlineData("OrderRecord Make(int i) => new()\n{\n    Key = $\"k-{i}\",\n    Status = OrderStatus.Paid,\n};")]
    public void The_scan_finds_each_way_of_writing_the_status(string code) =>
        Assert.NotEmpty(StatusWriterScan.ScanText("X.cs", code));

    [Theory]
    [InlineData("await db.Offers.Where(f => f.OrderId == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Withdrawn), ct);")]
    [InlineData("var sql = \"update orders set pin_tries = pin_tries + 1 where id = $1 and status = $2\";")]
    [InlineData("if (order.Status == OrderStatus.Paid) return;")]
    [InlineData("var next = head with { Status = OrderStatus.Offered };")]
    [InlineData("var rows = db.Orders.Where(o => o.Status == OrderStatus.Placed);")]
    public void The_scan_leaves_reads_and_other_tables_alone(string code) =>
        Assert.Empty(StatusWriterScan.ScanText("X.cs", code));
}
