using Dispatch.Core.Geo;

namespace Dispatch.Core.Couriers;

/// <summary>
/// A courier's live state as kept in Redis (MessagePack) and read by dispatch. Position is the last accepted fix.
/// <paramref name="ActiveOrders"/> counts orders accepted and not yet delivered.
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
    CourierActivity Activity)
{
    public LatLon Position => new(Lat, Lon);
}
