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
    /// Minutes of click-to-door one minute of an order's age (since placement) is worth when choosing what a
    /// courier serves now rather than later, in percent: the oldest orders go first when not all can, so none
    /// starves, and an order waiting for a better courier is eventually sent with whoever can take it.
    /// </summary>
    public int AgeWeightPercent { get; init; } = 100;

    /// <summary>
    /// Minutes of click-to-door one minute of a courier's empty drive to the restaurant costs, in percent: among
    /// couriers who would deliver about as soon, the nearer goes and the other stays free.
    /// </summary>
    public int TravelWeightPercent { get; init; } = 25;

    /// <summary>
    /// A bundle may wait instead of taking a courier, priced as if picked up this many minutes from now (or when
    /// ready) but without the age bonus: a courier who would pick up much later is not sent while the order is
    /// young, and an order left waiting rides along with the next courier leaving its restaurant if that is better.
    /// </summary>
    public int WaitHorizonMinutes { get; init; } = 30;
}
