namespace Dispatch.Core.Couriers;

/// <summary>What a courier is doing now, as the board colours it.</summary>
public enum CourierActivity
{
    Offline = 0,
    Idle = 1,
    ToPickup = 2,
    Carrying = 3,
}
