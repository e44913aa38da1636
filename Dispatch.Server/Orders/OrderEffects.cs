using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Common;
using Dispatch.Server.Hubs;
using Dispatch.Server.Outbox;

namespace Dispatch.Server.Orders;

/// <summary>
/// What follows an order's committed move, run by the outbox relay on whichever node claimed the event (the SignalR Redis
/// backplane carries its pushes to clients on every node): the customer's tracking page hears of each change of the status
/// it shows and of the courier's pre-arrival (<see cref="OutboxKinds.OrderArriving"/>), and a courier whose order was
/// cancelled or failed is told. A crash after the commit no longer loses these
/// pushes: the relay hands the event over again. A repeated push is harmless (a page shows the status it is told, the courier
/// app drops an order it no longer has), so no per-event marker is kept. The courier's load and the assignment book are
/// another consumer's (Couriers/CourierLoadEffects): they live on the node holding the courier's session, which the relay's node may not be.
/// </summary>
internal sealed class OrderEffects(
    ITrackingClients tracking,
    ICourierClients courierClients,
    ILoopFaults? faults = null) : IOutboxConsumer
{
    public const string ConsumerName = "order-effects";

    public string Name => ConsumerName;

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        faults?.BeforeWork(ConsumerName);
        var pushes = new List<Task>();
        foreach (var e in events)
        {
            if (e.Kind == OutboxKinds.OrderArriving)
            {
                var arriving = e.Read<OrderArriving>();
                var notice = new CourierArriving(arriving.OrderId, arriving.EtaSeconds, arriving.At);
                pushes.Add(tracking.SendAsync(arriving.OrderId, client => client.Arriving(notice)));
                continue;
            }
            if (e.Kind != OutboxKinds.OrderStatus) continue;
            var moved = e.Read<OrderMoved>();
            if (moved.To is OrderStatus.Cancelled or OrderStatus.Failed && OrderStateMachine.IsAssigned(moved.From) && moved.CourierId is { } courier)
            {
                pushes.Add(courierClients.Courier(courier).OrderCancelled(
                    new OrderCancelledMessage(moved.OrderId, moved.Note ?? "", Failed: moved.To == OrderStatus.Failed)));
            }
            // The customer sees Offered as Dispatching: an offer, or its return, changes nothing on their page.
            var shown = CustomerView.Status(moved.To);
            if (shown == CustomerView.Status(moved.From)) continue;
            // Through SendAsync: to this node's watchers directly, through the backplane only when another node watches,
            // and nothing at all for an order no customer is watching (most of them), where a group send still published.
            var changed = new OrderStatusChanged(moved.OrderId, shown, moved.At);
            pushes.Add(tracking.SendAsync(moved.OrderId, client => client.StatusChanged(changed)));
        }
        await Task.WhenAll(pushes);
    }
}
