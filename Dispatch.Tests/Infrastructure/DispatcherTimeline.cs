using Dispatch.Core.Orders;
using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>What the dispatcher wrote in an order's timeline, for tests of the batch round's write.</summary>
public static class DispatcherTimeline
{
    /// <summary>The order's timeline rows written by the dispatcher, as "status:first word of the note", in order.</summary>
    public static async Task<List<string>> DispatcherTimelineAsync(this DispatchServer server, Guid orderId)
    {
        await using var command = server.Db.CreateCommand(
            "select status, coalesce(split_part(note, ' ', 1), '') from order_events where order_id = $1 and actor = 'dispatch' order by id");
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            rows.Add($"{((OrderStatus)reader.GetInt32(0)).ToString().ToLowerInvariant()}:{reader.GetString(1)}");
        return rows;
    }
}
