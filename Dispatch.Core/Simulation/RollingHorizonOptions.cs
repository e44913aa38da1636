namespace Dispatch.Core.Simulation;

/// <summary>Knobs of <see cref="RollingHorizonPolicy"/>; all times in whole minutes.</summary>
public sealed record RollingHorizonOptions
{
    /// <summary>Minutes between decision moments (the optimisation cycle).</summary>
    public int IntervalMinutes { get; init; } = 1;

    /// <summary>Most orders one courier carries from one restaurant.</summary>
    public int MaxBundle { get; init; } = 3;

    /// <summary>Orders ready later than now + this are left for a later cycle.</summary>
    public int ReadyHorizonMinutes { get; init; } = 30;

    /// <summary>Orders bundled together are ready within this many minutes of each other.</summary>
    public int BundleReadySpreadMinutes { get; init; } = 10;

    /// <summary>
    /// Late commitment: a courier who would wait longer than this at the restaurant for the food is not sent yet,
    /// so a better-placed courier who frees up meanwhile can still take the order.
    /// </summary>
    public int CommitSlackMinutes { get; init; } = 4;

    /// <summary>
    /// Busy couriers who free up within this many minutes are candidates at their last drop-off: a bundle they
    /// would pick up first waits for them instead of pulling a worse-placed idle courier.
    /// </summary>
    public int SupplyHorizonMinutes { get; init; } = 15;

    /// <summary>
    /// Minutes of click-to-door that serving an order this cycle is worth against leaving it for a later one: when
    /// bundles outnumber couriers, larger bundles are served first.
    /// </summary>
    public int OrderValueMinutes { get; init; } = 60;

    /// <summary>
    /// Weight of an order's age (minutes since placement) in the same trade-off, in percent: the oldest orders are
    /// served first when not all can be, so none starves.
    /// </summary>
    public int AgeWeightPercent { get; init; } = 100;

    /// <summary>
    /// Minutes of click-to-door one minute of a courier's empty drive to the restaurant costs, in percent: among
    /// couriers who would deliver about as soon, the nearer goes and the other stays free.
    /// </summary>
    public int TravelWeightPercent { get; init; } = 25;
}
