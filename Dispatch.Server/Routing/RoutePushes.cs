using Dispatch.Server.Hubs;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Routing;

/// <summary>
/// Sends each planned route (<see cref="OutboxKinds.RoutePlanned"/>) from the outbox relay on whichever node claimed the
/// event: to the courier it was planned for while the order is still theirs, and to the customers watching the order (as
/// <see cref="Core.Tracking.CustomerView.Route"/> lets them see it). The route is read from <c>routes</c> by its version, so a
/// push handed over again sends the same route, which the app and the page replace by version; no marker is kept.
/// </summary>
internal sealed class RoutePushes(IDbContextFactory<DispatchDbContext> dbs, ITrackingClients tracking, ICourierClients courierClients) : IOutboxConsumer
{
    public string Name => "route-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        List<RoutePlanned>? planned = null;
        foreach (var e in events)
        {
            if (e.Kind == OutboxKinds.RoutePlanned) (planned ??= []).Add(e.Read<RoutePlanned>());
        }
        if (planned is null) return;

        await using var db = await dbs.CreateDbContextAsync(ct);
        var ids = planned.Select(p => p.OrderId).Distinct().ToList();
        var versions = planned.Select(p => p.Version).Distinct().ToList();
        var routes = (await db.Routes.AsNoTracking().Where(r => ids.Contains(r.OrderId) && versions.Contains(r.Version)).ToListAsync(ct))
            .ToDictionary(r => (r.OrderId, r.Version));
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { o.Id, o.CourierId, o.Pickup }).ToDictionaryAsync(o => o.Id, ct);
        var pushes = new List<Task>();
        foreach (var p in planned)
        {
            if (!routes.TryGetValue((p.OrderId, p.Version), out var route) || !orders.TryGetValue(p.OrderId, out var order)) continue;
            var message = RoutePlanner.ToMessage(route);
            var customers = Core.Tracking.CustomerView.Route(message, Orders.OrderEvents.ToLatLon(order.Pickup));
            pushes.Add(tracking.SendAsync(p.OrderId, client => client.RouteUpdated(customers)));
            if (order.CourierId == p.CourierId) pushes.Add(courierClients.Courier(p.CourierId).RouteAssigned(message));
        }
        await Task.WhenAll(pushes);
    }
}
