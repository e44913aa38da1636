using System.ComponentModel.DataAnnotations;
using Dispatch.Core.Alerts;

namespace Dispatch.Server.ControlRoom;

/// <summary>The control-room board: how often its orders and alerts are gathered, and the alert limits. Section "ControlRoom".</summary>
internal sealed class ControlRoomOptions
{
    public const string Section = "ControlRoom";

    /// <summary>How often each zone's open orders and alerts are gathered, milliseconds.</summary>
    [Range(200, 60_000)]
    public int RefreshMilliseconds { get; set; } = 1_000;

    /// <summary>How often the slower key figures (acceptance rate, ETA error) are recomputed, seconds.</summary>
    [Range(1, 3_600)]
    public int KpiRefreshSeconds { get; set; } = 15;

    /// <summary>An online courier silent this long is reported, seconds.</summary>
    [Range(1, 3_600)]
    public int StaleCourierSeconds { get; set; } = 60;

    /// <summary>A paid order without a courier this long is reported, seconds (5 minutes by default).</summary>
    [Range(1, 86_400)]
    public int UnassignedSeconds { get; set; } = 300;

    /// <summary>Share of the cold-chain budget (0..1) after which a frozen order is at risk.</summary>
    [Range(0.05, 1.0)]
    public double ColdChainAtRiskFraction { get; set; } = 0.75;

    /// <summary>Declines of one order that make a decline storm.</summary>
    [Range(1, 100)]
    public int OrderDeclineStorm { get; set; } = 3;

    /// <summary>Declines by one courier within <see cref="CourierDeclineWindowMinutes"/> that make a decline storm.</summary>
    [Range(1, 100)]
    public int CourierDeclineStorm { get; set; } = 3;

    [Range(1, 1_440)]
    public int CourierDeclineWindowMinutes { get; set; } = 15;

    /// <param name="coldChainBudget">Dispatch's own budget (Dispatch:ColdChainBudgetMinutes): one budget for dispatch and the alerts.</param>
    public AlertLimits Limits(TimeSpan coldChainBudget) => new(
        TimeSpan.FromSeconds(StaleCourierSeconds), TimeSpan.FromSeconds(UnassignedSeconds), coldChainBudget,
        ColdChainAtRiskFraction, OrderDeclineStorm, CourierDeclineStorm, TimeSpan.FromMinutes(CourierDeclineWindowMinutes));
}
