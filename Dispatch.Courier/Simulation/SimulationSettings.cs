namespace Dispatch.Courier.Simulation;

/// <summary>Knobs of a fleet simulation run. A null <paramref name="PaymentSecret"/> leaves orders unpaid.</summary>
internal sealed record SimulationSettings(
    double OrdersPerMinute,
    double ConnectionsPerSecond,
    int? Seed,
    string? PaymentSecret);
