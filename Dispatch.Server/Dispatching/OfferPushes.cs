using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Hubs;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Tells couriers about their offers once the offers are committed, from the outbox relay on whichever node claimed the
/// events (the SignalR Redis backplane reaches the courier's node): an order's move to Offered pushes each offer made with
/// it, an <see cref="OutboxKinds.OfferWithdrawn"/> event tells a courier their offer is gone. Off the rounds' time, and a
/// crash after the commit loses no push. A push handed over again is harmless (the runner shows the offer it is told, or
/// drops one it no longer has), so no per-event marker is kept; an offer answered meanwhile is not pushed again.
/// </summary>
internal sealed class OfferPushes(IDbContextFactory<DispatchDbContext> dbs, ICourierClients courierClients) : IOutboxConsumer
{
    public string Name => "offer-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var pushes = new List<Task>();
        var offeredAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case OutboxKinds.OfferWithdrawn:
                    var withdrawn = e.Read<OfferWithdrawal>();
                    pushes.Add(courierClients.Courier(withdrawn.CourierId)
                        .OfferWithdrawn(new OfferWithdrawnMessage(withdrawn.OfferId, withdrawn.OrderId, withdrawn.Reason)));
                    break;
                case OutboxKinds.OrderStatus:
                    var moved = e.Read<OrderMoved>();
                    if (moved.To == OrderStatus.Offered) offeredAt[moved.OrderId] = moved.At;
                    break;
            }
        }
        if (offeredAt.Count > 0) pushes.AddRange(await OffersAsync(offeredAt, ct));
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
}
