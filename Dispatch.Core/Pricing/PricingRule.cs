namespace Dispatch.Core.Pricing;

/// <summary>
/// How one service is priced, in integer cents of <see cref="Currency"/>: a base fare, a rate per started 100 m of road
/// (quoted per kilometre), a fee per stop beyond pickup and drop-off, a cold-chain surcharge, one multiplier for night or
/// rush hour (the larger when both apply), and a minimum fare the total is topped up to.
/// </summary>
public sealed record PricingRule(
    string Currency,
    int BaseCents,
    int PerKmCents,
    int PerExtraStopCents,
    int ColdChainCents,
    decimal NightMultiplier,
    TimeWindow? Night,
    decimal RushMultiplier,
    IReadOnlyList<TimeWindow> RushHours,
    int MinimumCents);
