using Dispatch.Core.Couriers;

namespace Dispatch.Courier.Simulation;

/// <summary>What a simulated courier brings to a shift.</summary>
internal sealed record CourierProfile(Equipment Equipment, Vehicle Vehicle, int Capacity);
