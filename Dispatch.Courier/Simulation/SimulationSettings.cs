namespace Dispatch.Courier.Simulation;

/// <summary>
/// Knobs of a fleet simulation run. A null <paramref name="PaymentSecret"/> leaves orders unpaid; a <paramref name="PinFile"/>
/// keeps delivery PINs across runs (see <see cref="PinBook"/>).
/// </summary>
internal sealed record SimulationSettings(
    double OrdersPerMinute,
    double ConnectionsPerSecond,
    int? Seed,
    string? PaymentSecret,
    string? PinFile = null);
