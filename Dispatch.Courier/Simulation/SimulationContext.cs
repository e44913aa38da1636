namespace Dispatch.Courier.Simulation;

/// <summary>What every part of a fleet simulation shares.</summary>
/// <param name="IssueCourierToken">
/// A fresh token for a courier (in Development, POST /dev/token), so a run outlives the fleet's tokens; null keeps the
/// tokens the fleet came with.
/// </param>
internal sealed record SimulationContext(
    Uri Server,
    ZoneArea Area,
    PinBook Pins,
    SimulationStats Stats,
    TimeProvider Time,
    TextWriter Output,
    Func<Guid, CancellationToken, Task<string>>? IssueCourierToken = null);
