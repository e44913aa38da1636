namespace Dispatch.Core.Reports;

/// <summary>
/// A zone's figures for one day or hour. Orders count in the period they finished in; offers in the period they were made.
/// Means and p90 are null when nothing was measured. Times in seconds, money in cents of the zone's currency.
/// </summary>
/// <param name="OnTime">delivered at or before the promised time</param>
/// <param name="ClickToDoorMeanSeconds">order created → delivered, over delivered orders</param>
/// <param name="ReadyToPickupMeanSeconds">goods ready (ready time, else payment) → picked up, over delivered orders</param>
/// <param name="Offers">offers accepted, declined or expired</param>
/// <param name="OnlineMinutes">courier-minutes with a position in the zone</param>
/// <param name="BusyMinutes">those of them in which the courier held an accepted, unfinished order</param>
/// <param name="EarningsCents">courier fees of the orders delivered</param>
/// <param name="EarningsPerOnlineHourCents">fees of couriers seen online ÷ their online hours</param>
/// <param name="EarningsPerHourSpread">coefficient of variation (σ ÷ mean) of each online courier's fees per online hour: 0 = all earn alike</param>
/// <param name="Couriers">couriers seen online in the zone</param>
/// <param name="ColdChainExcursions">cold-chain orders delivered later than the cold-chain budget after pickup</param>
/// <param name="EtaErrorMeanSeconds">mean |delivered − ETA promised at accept|</param>
public sealed record ZoneStatistics(
    string Zone,
    DateTimeOffset Start,
    int Hours,
    int Delivered,
    int Cancelled,
    int Failed,
    int OnTime,
    double? ClickToDoorMeanSeconds,
    double? ClickToDoorP90Seconds,
    double? ReadyToPickupMeanSeconds,
    int Offers,
    int OffersAccepted,
    int OnlineMinutes,
    int BusyMinutes,
    long EarningsCents,
    double? EarningsPerOnlineHourCents,
    double? EarningsPerHourSpread,
    int Couriers,
    int ColdChainDelivered,
    int ColdChainExcursions,
    double? EtaErrorMeanSeconds,
    int EtaSamples)
{
    /// <summary>Delivered on time ÷ delivered; null with no delivery.</summary>
    public double? OnTimeShare => Delivered == 0 ? null : (double)OnTime / Delivered;

    /// <summary>Offers accepted ÷ offers answered or expired.</summary>
    public double? AcceptanceRate => Offers == 0 ? null : (double)OffersAccepted / Offers;

    /// <summary>Busy ÷ online minutes.</summary>
    public double? Utilisation => OnlineMinutes == 0 ? null : (double)BusyMinutes / OnlineMinutes;
}
