namespace Dispatch.Tests.Infrastructure;

/// <summary>The state a crash between the old two statements of an offer answer left behind, built directly in the database.</summary>
public static class StrandedOrders
{
    /// <summary>
    /// Paid orders no courier could take (Dispatching), then moved to Offered with their only offer already declined, all in
    /// one statement so no sweep sees half of it. Call with no courier online near the Casino.
    /// </summary>
    public static async Task<Guid[]> CreateAsync(DispatchServer server, int count = 1)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            var order = await server.CreateOrderAsync();
            (await server.PayAsync(order.Id)).EnsureSuccessStatusCode();
            ids[i] = order.Id;
        }
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from orders where id = any($1) and status = 2", ids), n => n == count,
            "the paid orders in Dispatching with no courier around");
        Assert.Equal(count, await server.ScalarAsync("""
            with o as (update orders set status = 3, version = version + 1 where id = any($1) and status = 2 returning id),
                 f as (insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost, responded_at, reason)
                       select gen_random_uuid(), id, gen_random_uuid(), 2, now(), now() + interval '20 seconds', 0, 100, 1, now(), 'declined before the crash' from o)
            select count(*) from o
            """, ids));
        return ids;
    }
}
