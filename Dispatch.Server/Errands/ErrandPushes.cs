using Dispatch.Core.Contracts;
using Dispatch.Server.Hubs;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Errands;

/// <summary>
/// Tells the tracking page and the courier what an errand's committed change was, from the outbox relay on whichever node
/// claimed the events: a receipt submitted or decided (<see cref="OutboxKinds.ReceiptChanged"/>; the courier hears of the
/// customer's decision) and a stop done (<see cref="OutboxKinds.StopCompleted"/>). A crash after the commit loses no push and a
/// Redis outage fails no committed change. Each push shows the errand as it stands when it goes out, so one handed over again
/// only repeats what the page and the app already show; no per-event marker is kept.
/// </summary>
internal sealed class ErrandPushes(
    IDbContextFactory<DispatchDbContext> dbs,
    ITrackingClients tracking,
    ICourierClients courierClients,
    IOptions<DispatchOptions> options) : IOutboxConsumer
{
    public string Name => "errand-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        List<ReceiptChange>? receipts = null;
        List<StopChange>? stops = null;
        foreach (var e in events)
        {
            if (e.Kind == OutboxKinds.ReceiptChanged) (receipts ??= []).Add(e.Read<ReceiptChange>());
            else if (e.Kind == OutboxKinds.StopCompleted) (stops ??= []).Add(e.Read<StopChange>());
        }
        if (receipts is null && stops is null) return;

        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = (receipts ?? []).Select(r => r.OrderId).Concat((stops ?? []).Select(s => s.OrderId)).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var pushes = new List<Task>();
        foreach (var r in receipts ?? [])
        {
            if (!orders.TryGetValue(r.OrderId, out var order) || JobFactory.BuyForMeOf(order, options.Value.Currency) is not { } view) continue;
            var change = new ReceiptChanged(order.Id, order.FormatNumber(), view, r.At);
            if (r.TellCourierId is { } courierId) pushes.Add(courierClients.Courier(courierId).ReceiptDecided(change));
            pushes.Add(tracking.SendAsync(order.Id, client => client.ReceiptChanged(change)));
        }
        foreach (var s in stops ?? [])
        {
            if (!orders.TryGetValue(s.OrderId, out var order)) continue;
            var all = OrderStops.Read(order);
            if (s.StopIndex < 0 || s.StopIndex >= all.Count) continue;
            // The customer gets the stop in their own wording, not the courier's timeline note.
            var done = new StopCompleted(order.Id, order.FormatNumber(), OrderStops.View(all[s.StopIndex], s.StopIndex),
                all.Count(x => x.IsDone), all.Count, Core.Tracking.CustomerView.StopNote(s.StopIndex + 1, all.Count), s.At);
            pushes.Add(tracking.SendAsync(order.Id, client => client.StopCompleted(done)));
        }
        await Task.WhenAll(pushes);
    }
}
