namespace Dispatch.Core.Couriers;

/// <summary>Typical urban speeds, metres per second, used by fix plausibility and simple ETAs.</summary>
public static class VehicleSpeeds
{
    public static double TypicalMetresPerSecond(Vehicle vehicle) => vehicle switch
    {
        Vehicle.Walking => 1.3,
        Vehicle.Bicycle => 4.5,
        Vehicle.EBike => 6.0,
        Vehicle.Scooter => 7.5,
        Vehicle.Car => 8.5,
        _ => 5.0,
    };
}
