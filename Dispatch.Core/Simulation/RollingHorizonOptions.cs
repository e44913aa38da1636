namespace Dispatch.Core.Simulation;

/// <summary>Knobs of <see cref="RollingHorizonPolicy"/>; all times in whole minutes.</summary>
public sealed record RollingHorizonOptions
{
    /// <summary>Minutes between decision moments (the optimisation cycle).</summary>
    public int IntervalMinutes { get; init; } = 2;

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
}
