using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Archive;

/// <summary>
/// The one read of an order for its views: the live tables first, then the archive schema, so an order answers the same
/// before and after <see cref="OrderArchiveJob"/> moved it (its row, timeline and refunds come from the same schema,
/// because the job moves them together in one transaction).
/// </summary>
internal static class OrderReader
{
    /// <summary>
    /// The order with its events and refunds. <paramref name="archived"/>: true reads the archive only, false the live
    /// tables only, null the live tables and then the archive.
    /// </summary>
    public static async Task<FoundOrder?> GetAsync(DispatchDbContext db, Guid orderId, bool? archived, CancellationToken ct)
    {
        if (archived != true && await GetFromAsync(db, orderId, fromArchive: false, ct) is { } live) return live;
        return archived == false ? null : await GetFromAsync(db, orderId, fromArchive: true, ct);
    }

    /// <summary>Live and archived orders as one source for lists and lookups; an order is in exactly one half.</summary>
    public static IQueryable<OrderRecord> Everywhere(DispatchDbContext db) => ArchivedOrders.LiveAndArchived(db);

    private static async Task<FoundOrder?> GetFromAsync(DispatchDbContext db, Guid orderId, bool fromArchive, CancellationToken ct)
    {
        var orders = fromArchive ? ArchivedOrders.Orders(db) : db.Orders;
        var order = await orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var events = await (fromArchive ? ArchivedOrders.Events(db) : db.OrderEvents).AsNoTracking()
            .Where(e => e.OrderId == orderId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var refunds = await (fromArchive ? ArchivedOrders.Refunds(db) : db.Refunds).AsNoTracking()
            .Where(r => r.OrderId == orderId).OrderBy(r => r.CreatedAt).ToArrayAsync(ct);
        return new FoundOrder(order, events, refunds, fromArchive);
    }
}
