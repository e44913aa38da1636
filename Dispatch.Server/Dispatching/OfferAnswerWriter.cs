using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Answers a pending offer (declined, expired, withdrawn) and, for each of its orders left without a pending offer, moves the
/// order back to Dispatching with its order_events row, all in one transaction: a crash can no longer leave an answered offer
/// beside an order still Offered, which no expiry, retry or batch round would ever pick up again. A bundle offer is answered
/// whole: every row of it still pending, every order of it released together. The courier's "offer withdrawn" push is an
/// outbox row of the same transaction (<see cref="OfferPushes"/> sends it).
/// </summary>
internal static class OfferAnswerWriter
{
    /// <param name="bundleId">The offer's bundle (<see cref="OfferRecord.BundleId"/>): all of its rows are answered; null for one order's offer.</param>
    /// <param name="fence">The zone's lease for the dispatcher's own answers (an expiry): a superseded leader answers nothing.</param>
    /// <param name="tell">What the courier is told when the answer is not theirs (an expiry, a withdrawal); null for a decline.</param>
    public static async Task<OfferAnswer> AnswerAsync(DispatchDbContext db, Guid offerId, Guid orderId, Guid? bundleId, OfferStatus answer, string? reason,
        string note, DateTimeOffset now, CancellationToken ct, OfferWithdrawal? tell = null, Zones.ZoneFence? fence = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The dispatcher's own answers (expiry) are fenced by the zone's lease; a courier's answer is not a zone's write.
        if (fence is not null && !await fence.HoldAsync(db, ct)) return new OfferAnswer(false, []);
        var orderIds = bundleId is { } bundle
            ? await db.Offers.AsNoTracking().Where(f => f.BundleId == bundle).Select(f => f.OrderId).Distinct().ToArrayAsync(ct)
            : [orderId];
        // The order rows are locked first, in id order, as the accept does, so an answer and an accept queue on the same rows and cannot deadlock.
        var locked = await db.Orders.FromSql($"select * from orders where id = any({orderIds}) order by id for update").AsNoTracking()
            .Select(o => new OrderHead(o.Id, o.Number, o.MerchantId, o.Zone, o.Status, o.Version, o.CourierId)).ToListAsync(ct);
        var rows = await (bundleId is { } b ? db.Offers.Where(f => f.BundleId == b) : db.Offers.Where(f => f.Id == offerId))
            .Where(f => f.Status == OfferStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, answer).SetProperty(f => f.Reason, reason).SetProperty(f => f.RespondedAt, now), ct);
        if (rows == 0)
        {
            await tx.RollbackAsync(ct);
            return new OfferAnswer(false, []);
        }
        // Added only once the offer is known to be answered here: the context serves the caller's next answers too.
        if (tell is not null) OutboxWriter.Add(db, OutboxKinds.OfferWithdrawn, orderId, tell, now);
        var released = new List<Guid>(locked.Count);
        foreach (var order in locked)
        {
            if (order.Status == OrderStatus.Offered && await ReleaseOrderAsync(db, order, "dispatch", note, now, ct)) released.Add(order.Id);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new OfferAnswer(true, released);
    }

    /// <summary>
    /// Inside the caller's transaction: an order still Offered at the version read with no pending offer goes back to
    /// Dispatching (the state machine's OffersExhausted) with its event. False when it changed meanwhile or an offer is still
    /// pending (another node released it, a courier accepted, a broadcast offer is open).
    /// </summary>
    public static Task<bool> ReleaseOrderAsync(DispatchDbContext db, OrderHead order, string actor, string note, DateTimeOffset now, CancellationToken ct) =>
        OrderTransitions.MoveAsync(db, new OrderMove(order, OrderTrigger.OffersExhausted, actor, now)
        {
            Note = note,
            OnVersion = true,
            Condition = x => !db.Offers.Any(f => f.OrderId == x.Id && f.Status == OfferStatus.Pending),
        }, ct);
}
