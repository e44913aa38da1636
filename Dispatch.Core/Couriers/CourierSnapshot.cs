using Dispatch.Core.Geo;

namespace Dispatch.Core.Couriers;

/// <summary>
/// A courier's live state as kept in Redis (MessagePack) and read by dispatch. Position is the last accepted fix.
/// <paramref name="ActiveOrders"/> counts orders accepted and not yet delivered. <paramref name="ShiftEndsAt"/> is when the
/// courier said they stop (no order is offered that they could not hand over by then); <paramref name="OnlineSince"/> is
/// when this shift started (fairness: earnings per online hour).
/// </summary>
public sealed record CourierSnapshot(
    Guid CourierId,
    string Zone,
    double Lat,
    double Lon,
    DateTimeOffset At,
    Equipment Equipment,
    Vehicle Vehicle,
    int Capacity,
    int ActiveOrders,
    CourierActivity Activity,
    DateTimeOffset? ShiftEndsAt = null,
    DateTimeOffset? OnlineSince = null)
{
    public LatLon Position => new(Lat, Lon);
}
