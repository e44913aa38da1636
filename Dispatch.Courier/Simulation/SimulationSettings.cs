namespace Dispatch.Courier.Simulation;

/// <summary>
/// Knobs of a fleet simulation run. A null <paramref name="PaymentSecret"/> leaves orders unpaid; a <paramref name="PinFile"/>
/// keeps delivery PINs across runs (see <see cref="PinBook"/>). <paramref name="OrdersForSeconds"/> ends the order stream
/// early while the couriers finish their work (null: orders for the whole run). Without <paramref name="Walkers"/> the fleet
/// has none (see <see cref="FleetMix"/>): a walker's last errand, up to 3 km on foot, can outlast everything else by half an hour.
/// </summary>
internal sealed record SimulationSettings(
    double OrdersPerMinute,
    double ConnectionsPerSecond,
    int? Seed,
    string? PaymentSecret,
    string? PinFile = null,
    int? OrdersForSeconds = null,
    bool Walkers = true);
