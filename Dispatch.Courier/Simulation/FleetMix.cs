using Dispatch.Core.Couriers;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// The make-up of a simulated fleet: about a third carry cold-chain equipment (two insulated boxes for every
/// active cooler); vehicles mixed, mostly two-wheelers. Capacity is 1 because a simulated courier carries one
/// order at a time. Without walkers their tenth of the fleet rides bicycles instead; the draws stay the same, so a seed
/// gives every courier the same equipment either way.
/// </summary>
internal static class FleetMix
{
    public static CourierProfile Pick(Random random, bool walkers = true)
    {
        ArgumentNullException.ThrowIfNull(random);
        var cold = random.NextDouble();
        var equipment = cold < 2.0 / 9 ? Equipment.InsulatedBox
            : cold < 3.0 / 9 ? Equipment.ActiveCooler
            : Equipment.None;
        var v = random.NextDouble();
        var vehicle = v < 0.30 ? Vehicle.Bicycle
            : v < 0.55 ? Vehicle.EBike
            : v < 0.80 ? Vehicle.Scooter
            : v < 0.90 ? Vehicle.Car
            : walkers ? Vehicle.Walking : Vehicle.Bicycle;
        return new CourierProfile(equipment, vehicle, Capacity: 1);
    }
}
