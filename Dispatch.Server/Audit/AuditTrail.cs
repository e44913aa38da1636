using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Dispatch.Server.Audit;

/// <summary>
/// Writes audit rows inside the caller's transaction, on either context (dispatch or accounts: both on the same
/// database), so an action and its row commit or roll back together.
/// </summary>
internal static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Adds one row; the caller must have a transaction open, or the row could outlive a failed action.</summary>
    public static async Task WriteAsync(DatabaseFacade database, AuditActor actor, string action, string target, DateTimeOffset at,
        object? before, object? after, CancellationToken ct)
    {
        if (database.CurrentTransaction is null)
            throw new InvalidOperationException($"Audit row for {action} written outside a transaction; open one around the action.");
        var beforeJson = before is null ? null : JsonSerializer.Serialize(before, Json);
        var afterJson = after is null ? null : JsonSerializer.Serialize(after, Json);
        await database.ExecuteSqlInterpolatedAsync($"""
            insert into audit_log (at, actor, role, action, target, address, before, after)
            values ({at}, {actor.Actor}, {actor.Role}, {action}, {target}, {actor.Address}, {beforeJson}::jsonb, {afterJson}::jsonb)
            """, ct);
    }
}
