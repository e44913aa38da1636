using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A bundle offer's rows (<see cref="OfferRecord.BundleId"/>) stand in <c>ix_offers_one_pending_per_courier</c> through one
/// lead row. When one order leaves a pending bundle alone (cancelled, or assigned by a dispatcher) and its row was the lead,
/// the next row still pending becomes the lead, in the same transaction, so the rest of the bundle still keeps its courier
/// from holding a second pending offer.
/// </summary>
internal static class OfferBundles
{
    /// <summary>
    /// Inside the caller's transaction: withdraws every pending offer of an order that left dispatch (cancelled, assigned by a
    /// dispatcher) with <paramref name="reason"/>, keeping a lead for the rest of any bundle it was part of. Returns the
    /// withdrawn offers, so the caller tells their couriers.
    /// </summary>
    public static async Task<List<(Guid OfferId, Guid CourierId)>> WithdrawOrderAsync(DispatchDbContext db, Guid orderId, string reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Offers.AsNoTracking().Where(f => f.OrderId == orderId && f.Status == OfferStatus.Pending)
            .Select(f => new { f.Id, f.CourierId, f.BundleId }).ToListAsync(ct);
        if (pending.Count == 0) return [];
        await db.Offers.Where(f => f.OrderId == orderId && f.Status == OfferStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Withdrawn).SetProperty(f => f.Reason, reason).SetProperty(f => f.RespondedAt, now), ct);
        await KeepLeadAsync(db, pending.Select(f => f.BundleId), ct);
        return [.. pending.Select(f => (f.Id, f.CourierId))];
    }

    /// <summary>Inside the caller's transaction, after rows of these bundles were answered one by one.</summary>
    private static async Task KeepLeadAsync(DispatchDbContext db, IEnumerable<Guid?> bundleIds, CancellationToken ct)
    {
        foreach (var bundle in bundleIds.OfType<Guid>().Distinct())
        {
            await db.Database.ExecuteSqlAsync($"""
                update offers set bundle_follower = false
                where id = (select id from offers where bundle_id = {bundle} and status = {(int)OfferStatus.Pending} order by id limit 1)
                  and not exists (select 1 from offers where bundle_id = {bundle} and status = {(int)OfferStatus.Pending} and not bundle_follower)
                """, ct);
        }
    }
}
