namespace Dispatch.Core.Couriers;

public enum Vehicle
{
    Walking = 0,
    Bicycle = 1,
    EBike = 2,
    Scooter = 3,
    Car = 4,
}
