namespace Dispatch.Core.Earnings;

/// <summary>The local calendar day a courier's "today" covers, as an instant range [From, To).</summary>
public static class EarningsDay
{
    /// <param name="now">the current instant</param>
    /// <param name="zone">the time zone whose midnight starts the day</param>
    public static (DateTimeOffset From, DateTimeOffset To) Containing(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        var nextMidnight = midnight.AddDays(1);
        return (new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)), new DateTimeOffset(nextMidnight, zone.GetUtcOffset(nextMidnight)));
    }
}
