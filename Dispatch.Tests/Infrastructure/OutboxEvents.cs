using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Commits outbox events as the server's own changes do (OutboxWriter, in a transaction); the real relay hands them over.</summary>
internal static class OutboxEvents
{
    public static async Task<OutboxRecord> CommitAsync<T>(DispatchServer server, string kind, Guid orderId, T payload, DateTimeOffset? at = null)
    {
        var factory = server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        var record = OutboxWriter.Add(db, kind, orderId, payload, at ?? DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return record;
    }

    /// <summary>An order.status event moving <paramref name="orderId"/> from one status to another.</summary>
    public static Task<OutboxRecord> MovedAsync(DispatchServer server, Guid orderId, long number, OrderStatus from, OrderStatus to,
        string merchant = "shop-1", DateTimeOffset? at = null, string? note = null)
    {
        var when = at ?? DateTimeOffset.UtcNow;
        return CommitAsync(server, OutboxKinds.OrderStatus, orderId,
            new OrderMoved(orderId, number, merchant, "monaco", from, to, Guid.NewGuid(), null, when, "test", note), when);
    }

    public static Task<OutboxRecord> ArrivingAsync(DispatchServer server, Guid orderId, long number, string merchant = "shop-1") =>
        CommitAsync(server, OutboxKinds.OrderArriving, orderId, new OrderArriving(orderId, number, merchant, Guid.NewGuid(), 90, DateTimeOffset.UtcNow));
}
