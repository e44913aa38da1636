using Dispatch.Core.Couriers;
using Dispatch.Core.Locations;

namespace Dispatch.Server.Fleet;

/// <summary>
/// What this node knows about an online courier: shift settings, last accepted fix, load.
/// Mutated under its own lock; the courier's connection lives on this node.
/// </summary>
internal sealed class OnlineCourier(Guid courierId, string name)
{
    public Lock Sync { get; } = new();

    public Guid CourierId { get; } = courierId;

    public string Name { get; } = name;

    public Equipment Equipment { get; set; }

    public Vehicle Vehicle { get; set; }

    public int Capacity { get; set; } = 1;

    public bool Online { get; set; }

    public string? Zone { get; set; }

    /// <summary>Zone the courier left since the last flush; the flusher removes them from its geo set.</summary>
    public string? PreviousZone { get; set; }

    public AcceptedFix? LastFix { get; set; }

    public int ActiveOrders { get; set; }

    /// <summary>When the courier said this shift ends; null when they did not say.</summary>
    public DateTimeOffset? ShiftEndsAt { get; set; }

    /// <summary>When this shift started (first GoOnline since being offline).</summary>
    public DateTimeOffset? OnlineSince { get; set; }

    public int CarryingOrders { get; set; }

    /// <summary>
    /// Stamp (<see cref="OnlineCouriers.NextOrdersStamp"/>) of the newest knowledge of the courier's orders applied here: a
    /// read of them from PostgreSQL begun before it is dropped when it lands after, never written over it. Under <see cref="Sync"/>.
    /// </summary>
    public long OrdersKnownAt { get; set; }

    public CourierActivity Activity =>
        !Online ? CourierActivity.Offline
        : CarryingOrders > 0 ? CourierActivity.Carrying
        : ActiveOrders > 0 ? CourierActivity.ToPickup
        : CourierActivity.Idle;

    /// <summary>Snapshot for Redis; null until the courier has a position in a zone. Call under <see cref="Sync"/>.</summary>
    public CourierSnapshot? ToSnapshot() =>
        LastFix is { } fix && Zone is not null
            ? new CourierSnapshot(CourierId, Zone, fix.Position.Lat, fix.Position.Lon, fix.Time, Equipment, Vehicle, Capacity, ActiveOrders, Activity, ShiftEndsAt, OnlineSince)
            : null;
}
