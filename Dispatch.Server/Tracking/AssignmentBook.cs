using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Tracking;

/// <summary>
/// Courier → orders in progress on this node, so each position flush knows which tracking groups to push to.
/// Kept by the coordinators on accept, each courier step and completion; reloaded from Postgres when a courier goes online.
/// </summary>
public sealed class AssignmentBook
{
    private readonly ConcurrentDictionary<Guid, ImmutableList<Assignment>> _byCourier = new();

    public ImmutableList<Assignment> For(Guid courierId) => _byCourier.GetValueOrDefault(courierId, []);

    public void Set(Guid courierId, IEnumerable<Assignment> assignments) => _byCourier[courierId] = [.. assignments];

    public void Upsert(Guid courierId, Assignment assignment) =>
        _byCourier.AddOrUpdate(courierId, [assignment], (_, list) => list.RemoveAll(a => a.OrderId == assignment.OrderId).Add(assignment));

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
