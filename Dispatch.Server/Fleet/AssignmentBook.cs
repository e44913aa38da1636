using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;
using Dispatch.Core.Tracking;

namespace Dispatch.Server.Fleet;

/// <summary>
/// Courier → orders in progress on this node, so each position flush knows which tracking groups to push to.
/// Reloaded from Postgres when a courier goes online and after every committed change of the orders they hold (the outbox
/// relay's courier-load consumer); the accept, a dispatcher's assignment and the courier's steps also keep it at once.
/// It is part of the live courier picture, below the features that keep it (dispatch, orders, errands, routing, couriers).
/// </summary>
internal sealed class AssignmentBook
{
    private readonly ConcurrentDictionary<Guid, ImmutableList<Assignment>> _byCourier = new();

    public ImmutableList<Assignment> For(Guid courierId) => _byCourier.GetValueOrDefault(courierId, []);

    public void Set(Guid courierId, IEnumerable<Assignment> assignments) => _byCourier[courierId] = [.. assignments];

    /// <summary>Makes the courier's list the orders given (read from Postgres), keeping what this node knew of those it already had (route, progress, last push).</summary>
    public void Reconcile(Guid courierId, IReadOnlyList<Assignment> current) =>
        _byCourier.AddOrUpdate(courierId, [.. current], (_, list) =>
            [.. current.Select(c => list.Find(a => a.OrderId == c.OrderId) is { } known ? known with { Status = c.Status, Via = c.Via } : c)]);

    public void Upsert(Guid courierId, Assignment assignment) =>
        _byCourier.AddOrUpdate(courierId, [assignment], (_, list) => list.RemoveAll(a => a.OrderId == assignment.OrderId).Add(assignment));

    /// <summary>Attaches a newly planned route (a newer version replaces an older one; progress starts again at its start).</summary>
    public void SetRoute(Guid courierId, Guid orderId, RouteTrack route) => Change(courierId, orderId, a =>
        a.Route is { } old && old.Version >= route.Version ? a : a with { Route = route, ProgressMetres = 0 });

    /// <summary>Remembers how far along its route the courier is on an order (only for the route version it was measured on).</summary>
    public void SetProgress(Guid courierId, Guid orderId, int routeVersion, double metres) => Change(courierId, orderId, a =>
        a.Route?.Version == routeVersion ? a with { ProgressMetres = metres } : a);

    /// <summary>A stop of a multi-stop errand was done: the stops still to do before the drop-off.</summary>
    public void SetVia(Guid courierId, Guid orderId, IReadOnlyList<Dispatch.Core.Geo.LatLon> via) => Change(courierId, orderId, a => a with { Via = via });

    /// <summary>Remembers what the customer of an order was last sent.</summary>
    public void SetPushed(Guid courierId, Guid orderId, LastPush push) => Change(courierId, orderId, a => a with { LastPush = push });

    /// <summary>Marks that a re-route was asked for at <paramref name="at"/>, so one deviation asks only once; false if asked recently.</summary>
    public bool TryMarkReroute(Guid courierId, Guid orderId, DateTimeOffset at, TimeSpan minInterval)
    {
        var marked = false;
        Change(courierId, orderId, a =>
        {
            if (at - a.RerouteAskedAt < minInterval) return a;
            marked = true;
            return a with { RerouteAskedAt = at };
        });
        return marked;
    }

    /// <summary>True the first time a milestone is asked for an order on this node; later calls are no-ops.</summary>
    public bool TryMarkMilestone(Guid courierId, Guid orderId, Milestone milestone)
    {
        var marked = false;
        Change(courierId, orderId, a =>
        {
            if (a.MilestonesAsked.HasFlag(milestone)) return a;
            marked = true;
            return a with { MilestonesAsked = a.MilestonesAsked | milestone };
        });
        return marked;
    }

    private void Change(Guid courierId, Guid orderId, Func<Assignment, Assignment> change) =>
        _byCourier.AddOrUpdate(courierId, [], (_, list) =>
        {
            var a = list.Find(x => x.OrderId == orderId);
            return a is null ? list : list.Replace(a, change(a));
        });

    public void UpdateStatus(Guid courierId, Guid orderId, OrderStatus status)
    {
        _byCourier.AddOrUpdate(courierId, [], (_, list) =>
        {
            var a = list.Find(x => x.OrderId == orderId);
            if (a is null) return list;
            return OrderStateMachine.IsAssigned(status) ? list.Replace(a, a with { Status = status }) : list.Remove(a);
        });
    }
}
