using Dispatch.Core.Couriers;

namespace Dispatch.Core.Contracts;

/// <summary>A courier as the control-room board draws it.</summary>
public sealed record BoardCourier(Guid CourierId, double Lat, double Lon, DateTimeOffset At, CourierActivity Activity, int ActiveOrders);

/// <summary>
/// Couriers of one zone that moved or changed since the last frame (or all of them, from Watch). Frames are batched
/// (at most one per zone every <c>BoardFrameMilliseconds</c>) so thousands of couriers do not flood a browser.
/// </summary>
public sealed record BoardFrame(string Zone, DateTimeOffset At, BoardCourier[] Couriers);
