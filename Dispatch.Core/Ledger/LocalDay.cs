namespace Dispatch.Core.Ledger;

/// <summary>
/// Where a local calendar day begins and ends in a time zone, as instants: what settlement closes and what an earnings day
/// sums. A day is 23 or 25 hours on a daylight-saving change; a midnight the change skips starts the day at the jump.
/// </summary>
public static class LocalDay
{
    /// <summary>The instants [From, To) whose local date in <paramref name="zone"/> is <paramref name="day"/>.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly day, TimeZoneInfo zone) => (Start(day, zone), Start(day.AddDays(1), zone));

    /// <summary>The local date of <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static DateOnly Of(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The last local day in <paramref name="zone"/> that is over at <paramref name="now"/>: the one the daily settlement closes.</summary>
    public static DateOnly LastEnded(DateTimeOffset now, TimeZoneInfo zone) => Of(now, zone).AddDays(-1);

    public static bool HasEnded(DateOnly day, TimeZoneInfo zone, DateTimeOffset now) => Bounds(day, zone).To <= now;

    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Skipped (clocks jump from 00:00 to 01:00): the day starts at the jump, which is midnight at the offset before it.
        // DST changes are months apart, so twelve hours earlier is still on the old offset.
        if (zone.IsInvalidTime(midnight)) return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight.AddHours(-12)));
        // Repeated (clocks go back over midnight): the day starts at its first occurrence, the one on the larger offset.
        if (zone.IsAmbiguousTime(midnight)) return new DateTimeOffset(midnight, zone.GetAmbiguousTimeOffsets(midnight).Max());
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}
