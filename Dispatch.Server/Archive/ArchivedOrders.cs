using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Archive;

/// <summary>
/// Reads of the archive schema through the live entity types: archive.orders and archive.order_events have the live
/// tables' columns, so EF materialises them as <see cref="OrderRecord"/> and <see cref="OrderEventRecord"/> (personal data
/// decrypted the same way) and the order API and lists show an archived order exactly as they showed it live.
/// </summary>
internal static class ArchivedOrders
{
    public static IQueryable<OrderRecord> Orders(DispatchDbContext db) => db.Orders.FromSqlRaw("select * from archive.orders");

    public static IQueryable<OrderEventRecord> Events(DispatchDbContext db) => db.OrderEvents.FromSqlRaw("select * from archive.order_events");

    public static IQueryable<RefundRecord> Refunds(DispatchDbContext db) => db.Refunds.FromSqlRaw("select * from archive.payment_refunds");

    public static IQueryable<PaymentRecord> Payments(DispatchDbContext db) => db.Payments.FromSqlRaw("select * from archive.payments");

    /// <summary>Live and archived orders together; the columns listed from the model, so both halves of the union line up.</summary>
    public static IQueryable<OrderRecord> LiveAndArchived(DispatchDbContext db)
    {
        var columns = string.Join(", ", db.Model.FindEntityType(typeof(OrderRecord))!.GetProperties().Select(p => $"\"{p.GetColumnName()}\""));
        var sql = $"select {columns} from public.orders union all select {columns} from archive.orders";
        return db.Orders.FromSqlRaw(sql);
    }

    /// <summary>
    /// The orders a list reads: the archive when asked (<paramref name="archived"/> true), the live table when refused, and
    /// otherwise both when the list's date range reaches back past the archive's horizon (live only when it does not).
    /// </summary>
    public static IQueryable<OrderRecord> Source(DispatchDbContext db, bool? archived, DateTimeOffset? from, DateTimeOffset horizon) => archived switch
    {
        true => Orders(db),
        false => db.Orders,
        null when from is not null && from < horizon => LiveAndArchived(db),
        null => db.Orders,
    };

    /// <summary>The optional <c>archived</c> query parameter: true or false; anything else is refused naming the field.</summary>
    public static Common.Outcome<bool?> Parse(IQueryCollection query)
    {
        var text = query["archived"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(text)) return (bool?)null;
        if (bool.TryParse(text.Trim(), out var value)) return (bool?)value;
        return Common.Failure.BadRequest("archived", "archived must be true (the archive only) or false (live orders only); leave it out for live orders, or both when the date range reaches the archive.");
    }

    public static async Task<(OrderRecord Order, List<OrderEventRecord> Events)?> GetAsync(DispatchDbContext db, Guid orderId, CancellationToken ct)
    {
        var order = await Orders(db).AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var events = await Events(db).AsNoTracking().Where(e => e.OrderId == orderId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        return (order, events);
    }
}
