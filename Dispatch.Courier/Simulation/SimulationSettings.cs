namespace Dispatch.Courier.Simulation;

/// <summary>
/// Knobs of a fleet simulation run. A null <paramref name="PaymentSecret"/> leaves orders unpaid; a <paramref name="PinFile"/>
/// keeps delivery PINs across runs (see <see cref="PinBook"/>). <paramref name="OrdersForSeconds"/> ends the order stream
/// early while the couriers finish their work (null: orders for the whole run).
/// </summary>
internal sealed record SimulationSettings(
    double OrdersPerMinute,
    double ConnectionsPerSecond,
    int? Seed,
    string? PaymentSecret,
    string? PinFile = null,
    int? OrdersForSeconds = null);
