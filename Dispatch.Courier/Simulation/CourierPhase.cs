namespace Dispatch.Courier.Simulation;

/// <summary>Where a simulated courier is in carrying out a job.</summary>
internal enum CourierPhase
{
    Idle,
    ToPickup,
    AtPickup,

    /// <summary>Carrying a multi-stop errand to its next stop.</summary>
    ToStop,
    ToDropoff,
}
