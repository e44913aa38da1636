namespace Dispatch.Core.Alerts;

/// <summary>Thresholds of the alert rules.</summary>
/// <param name="StaleCourierAfter">Silence after which an online courier is reported.</param>
/// <param name="UnassignedAfter">Time since payment after which an order without a courier is reported.</param>
/// <param name="ColdChainBudget">How long frozen goods may travel from pickup to hand-over.</param>
/// <param name="ColdChainAtRiskFraction">Share of the budget used (0..1) at which a frozen order is at risk.</param>
/// <param name="OrderDeclineStorm">Declines of one order that make a storm.</param>
/// <param name="CourierDeclineStorm">Declines by one courier within <paramref name="CourierDeclineWindow"/> that make a storm.</param>
/// <param name="CourierDeclineWindow">Window of the courier decline count.</param>
public sealed record AlertLimits(
    TimeSpan StaleCourierAfter,
    TimeSpan UnassignedAfter,
    TimeSpan ColdChainBudget,
    double ColdChainAtRiskFraction,
    int OrderDeclineStorm,
    int CourierDeclineStorm,
    TimeSpan CourierDeclineWindow)
{
    public static AlertLimits Default { get; } = new(
        TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), 0.75, 3, 3, TimeSpan.FromMinutes(15));
}
