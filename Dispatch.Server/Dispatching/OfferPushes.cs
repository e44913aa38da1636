using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Hubs;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Tells couriers about their offers and jobs once the change is committed, from the outbox relay on whichever node claimed
/// the events (the SignalR Redis backplane reaches the courier's node): an order's move to Offered pushes each offer made with
/// it (a bundle offer's orders in one push), an <see cref="OutboxKinds.OfferWithdrawn"/> event tells a courier their offer is gone, and a dispatcher's
/// reassignment tells the old courier (<see cref="OutboxKinds.OrderReassigned"/>) and pushes the job to the new one
/// (<see cref="OutboxKinds.JobAssigned"/>). Off the rounds' time, a crash after the commit loses no push, and a Redis outage
/// delays the pushes instead of failing the committed change. A push handed over again is harmless (the runner shows the
/// offer or job it is told, or drops what it no longer has), so no per-event marker is kept; an offer answered meanwhile is
/// not pushed again, nor a job that is no longer the courier's.
/// </summary>
internal sealed class OfferPushes(IDbContextFactory<DispatchDbContext> dbs, ICourierClients courierClients, IOptions<DispatchOptions> options) : IOutboxConsumer
{
    public string Name => "offer-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var pushes = new List<Task>();
        var offeredAt = new Dictionary<Guid, DateTimeOffset>();
        var assigned = new List<JobAssignment>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case OutboxKinds.OfferWithdrawn:
                    var withdrawn = e.Read<OfferWithdrawal>();
                    pushes.Add(courierClients.Courier(withdrawn.CourierId)
                        .OfferWithdrawn(new OfferWithdrawnMessage(withdrawn.OfferId, withdrawn.OrderId, withdrawn.Reason)));
                    break;
                case OutboxKinds.OrderReassigned:
                    var reassigned = e.Read<OrderReassignment>();
                    pushes.Add(courierClients.Courier(reassigned.CourierId)
                        .OrderReassigned(new OrderReassignedMessage(reassigned.OrderId, OrderRecord.FormatNumber(reassigned.Number), reassigned.Reason)));
                    break;
                case OutboxKinds.JobAssigned:
                    assigned.Add(e.Read<JobAssignment>());
                    break;
                case OutboxKinds.OrderStatus:
                    var moved = e.Read<OrderMoved>();
                    if (moved.To == OrderStatus.Offered) offeredAt[moved.OrderId] = moved.At;
                    break;
            }
        }
        if (offeredAt.Count > 0) pushes.AddRange(await OffersAsync(offeredAt, ct));
        if (assigned.Count > 0) pushes.AddRange(await JobsAsync(assigned, ct));
        await Task.WhenAll(pushes);
    }

    /// <summary>The pushes of the offers still pending that were made with each order's move to Offered.</summary>
    private async Task<IEnumerable<Task>> OffersAsync(Dictionary<Guid, DateTimeOffset> offeredAt, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = offeredAt.Keys.ToList();
        var offers = await db.Offers.AsNoTracking().Where(f => ids.Contains(f.OrderId) && f.Status == OfferStatus.Pending).ToListAsync(ct);
        // An offer made by a later move of the same order has its own event; PostgreSQL keeps microseconds, the payload ticks.
        offers.RemoveAll(f => (f.CreatedAt - offeredAt[f.OrderId]).Duration() > TimeSpan.FromMilliseconds(1));
        if (offers.Count == 0) return [];
        // A bundle is pushed whole, once, even when its orders' events came in different batches (then once per batch: harmless).
        var bundles = offers.Where(f => f.BundleId is not null).Select(f => f.BundleId).Distinct().ToList();
        if (bundles.Count > 0) offers.AddRange(await db.Offers.AsNoTracking().Where(f => bundles.Contains(f.BundleId) && f.Status == OfferStatus.Pending).ToListAsync(ct));
        var orders = await OfferMessages.OrdersAsync(db, offers, ct);
        return OfferMessages.Group(offers, orders).Select(m => courierClients.Courier(m.CourierId).OfferReceived(m.Message));
    }

    /// <summary>The pushes of the jobs a dispatcher assigned, as each order stands now; one no longer the courier's (moved again, cancelled) is not pushed.</summary>
    private async Task<IEnumerable<Task>> JobsAsync(List<JobAssignment> assigned, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = assigned.Select(a => a.OrderId).ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return assigned
            .Where(a => orders.TryGetValue(a.OrderId, out var o) && o.CourierId == a.CourierId && OrderStateMachine.IsAssigned(o.Status))
            .Select(a => courierClients.Courier(a.CourierId)
                .JobAssigned(new JobAssignedMessage(JobFactory.ToJob(orders[a.OrderId], options.Value.Currency), a.Reason)));
    }
}
