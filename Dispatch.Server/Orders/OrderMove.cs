using System.Linq.Expressions;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore.Query;

namespace Dispatch.Server.Orders;

/// <summary>
/// One status change asked of <see cref="OrderTransitions"/>: <paramref name="Trigger"/> applied to <paramref name="Order"/>
/// as read, by <paramref name="Actor"/> at <paramref name="At"/>. The update is conditional on the status read; the
/// init-only members add what else it is conditional on and what else changes in the same statement.
/// </summary>
internal sealed record OrderMove(OrderHead Order, OrderTrigger Trigger, string Actor, DateTimeOffset At)
{
    /// <summary>The timeline's note (a reason); staff-facing.</summary>
    public string? Note { get; init; }

    /// <summary>Where the actor was (a courier's last fix), for the timeline.</summary>
    public LatLon? Position { get; init; }

    /// <summary>Also conditional on the version read: a caller that decided on more than the status (a dispatcher's look).</summary>
    public bool OnVersion { get; init; }

    /// <summary>Also conditional on the courier read (a courier's own step on an order they hold).</summary>
    public bool OnCourier { get; init; }

    /// <summary>The courier who holds the order after the move (accept, assign); null keeps the one it has.</summary>
    public Guid? NewCourierId { get; init; }

    /// <summary>Further conditions, e.g. "no offer is still pending"; evaluated in the same UPDATE.</summary>
    public Expression<Func<OrderRecord, bool>>? Condition { get; init; }

    /// <summary>Other columns that change with the move (tracking expiry, delivered time, fee…), set in the same UPDATE.</summary>
    public Action<UpdateSettersBuilder<OrderRecord>>? Set { get; init; }
}
