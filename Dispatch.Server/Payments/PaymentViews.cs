using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Payments;

/// <summary>An order's refunds as the order and payment APIs show them (<see cref="RefundView"/>).</summary>
internal static class PaymentViews
{
    public static Task<RefundView[]> RefundsAsync(DispatchDbContext db, Guid orderId, CancellationToken ct) => RefundsAsync(db.Refunds, orderId, ct);

    /// <summary>The refunds of an order from <paramref name="refunds"/>: the live table or the archive's twin.</summary>
    public static async Task<RefundView[]> RefundsAsync(IQueryable<RefundRecord> refunds, Guid orderId, CancellationToken ct) =>
        await refunds.AsNoTracking().Where(r => r.OrderId == orderId).OrderBy(r => r.CreatedAt)
            .Select(r => new RefundView(r.Id, r.Reason, r.State, r.AmountCents, r.RequestedCents, r.Actor, r.Note, r.Error, r.CreatedAt, r.DoneAt)).ToArrayAsync(ct);
}
