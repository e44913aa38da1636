namespace Dispatch.Tests.Infrastructure;

/// <summary>What a test leaves on its class's shared server, cleared so the next test starts from an empty board.</summary>
public static class LeftBehind
{
    /// <summary>
    /// Cancels every open order (paid until finished) as a dispatcher. A waiting order is offered before the next test's own
    /// to that test's courier (who holds one pending offer at a time), so it must not outlive the test that made it, also
    /// when that test failed half-way. Fails loudly if a cancel is refused: the next test would inherit the order.
    /// </summary>
    public static async Task CancelOpenOrdersAsync(DispatchServer server)
    {
        if (server.SkipReason is not null) return;
        var open = new List<Guid>();
        await using (var command = server.Db.CreateCommand("select id from orders where is_open"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) open.Add(reader.GetGuid(0));
        }
        foreach (var id in open)
        {
            using var response = await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" });
            // Finished meanwhile (a courier delivered it, the unpaid sweep expired it) is as good as cancelled.
            if (!response.IsSuccessStatusCode && await server.ScalarAsync("select is_open::int from orders where id = $1", id) == 1)
            {
                throw new InvalidOperationException($"Order {id} left open: cancel answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
