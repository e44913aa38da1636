namespace Dispatch.Courier.Simulation;

/// <summary>What every part of a fleet simulation shares.</summary>
internal sealed record SimulationContext(
    Uri Server,
    ZoneArea Area,
    PinBook Pins,
    SimulationStats Stats,
    TimeProvider Time,
    TextWriter Output);
