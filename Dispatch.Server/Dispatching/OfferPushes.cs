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
/// it, an <see cref="OutboxKinds.OfferWithdrawn"/> event tells a courier their offer is gone, and a dispatcher's
/// reassignment tells the old courier (<see cref="OutboxKinds.OrderReassigned"/>) and pushes the job to the new one
/// (<see cref="OutboxKinds.JobAssigned"/>). Off the rounds' time, a crash after the commit loses no push, and a Redis outage
/// delays the pushes instead of failing the committed change. A batch handed over again to this node does not repeat the
/// pushes of those events it sent (<see cref="PushedEvents"/>); an offer answered meanwhile is not pushed again, nor a job
/// that is no longer the courier's.
/// </summary>
internal sealed class OfferPushes(IDbContextFactory<DispatchDbContext> dbs, ICourierClients courierClients, IOptions<DispatchOptions> options) : IOutboxConsumer
{
    private readonly PushedEvents _pushed = new(4096);

    public string Name => "offer-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var pushes = new List<Task>();
        var offeredAt = new Dictionary<Guid, DateTimeOffset>();
        var assigned = new List<(Guid EventId, JobAssignment Job)>();
        foreach (var e in events)
        {
            if (_pushed.Contains(e.EventId)) continue;
            switch (e.Kind)
            {
                case OutboxKinds.OfferWithdrawn:
                    var withdrawn = e.Read<OfferWithdrawal>();
                    pushes.Add(_pushed.Remember(e.EventId, courierClients.Courier(withdrawn.CourierId)
                        .OfferWithdrawn(new OfferWithdrawnMessage(withdrawn.OfferId, withdrawn.OrderId, withdrawn.Reason))));
                    break;
                case OutboxKinds.OrderReassigned:
                    var reassigned = e.Read<OrderReassignment>();
                    pushes.Add(_pushed.Remember(e.EventId, courierClients.Courier(reassigned.CourierId)
                        .OrderReassigned(new OrderReassignedMessage(reassigned.OrderId, OrderRecord.FormatNumber(reassigned.Number), reassigned.Reason))));
                    break;
                case OutboxKinds.JobAssigned:
                    assigned.Add((e.EventId, e.Read<JobAssignment>()));
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
        var orders = await OfferMessages.OrdersAsync(db, offers, ct);
        return offers.Select(f => courierClients.Courier(f.CourierId).OfferReceived(OfferMessages.For(orders[f.OrderId], f)));
    }

    /// <summary>The pushes of the jobs a dispatcher assigned, as each order stands now; one no longer the courier's (moved again, cancelled) is not pushed.</summary>
    private async Task<IEnumerable<Task>> JobsAsync(List<(Guid EventId, JobAssignment Job)> assigned, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = assigned.Select(a => a.Job.OrderId).ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return assigned
            .Where(a => orders.TryGetValue(a.Job.OrderId, out var o) && o.CourierId == a.Job.CourierId && OrderStateMachine.IsAssigned(o.Status))
            .Select(a => _pushed.Remember(a.EventId, courierClients.Courier(a.Job.CourierId)
                .JobAssigned(new JobAssignedMessage(JobFactory.ToJob(orders[a.Job.OrderId], options.Value.Currency), a.Job.Reason))));
    }
}
