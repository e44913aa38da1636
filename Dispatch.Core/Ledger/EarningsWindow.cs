namespace Dispatch.Core.Ledger;

/// <summary>
/// The local days and ISO weeks a courier's earnings view covers: days <see cref="From"/>..<see cref="To"/> (inclusive,
/// newest first when listed) and the weeks starting <see cref="FirstWeek"/>..the week of <see cref="To"/>.
/// </summary>
public sealed record EarningsWindow(DateOnly From, DateOnly To, DateOnly FirstWeek)
{
    public const int DefaultDays = 14;
    public const int DefaultWeeks = 8;

    /// <summary>The longest range one call may ask for (a quarter), so a call reads a bounded number of lines.</summary>
    public const int MaxDays = 92;

    /// <summary>The days From..To, newest first.</summary>
    public IEnumerable<DateOnly> Days => Enumerable.Range(0, To.DayNumber - From.DayNumber + 1).Select(i => To.AddDays(-i));

    /// <summary>The Mondays of the weeks covered, newest first.</summary>
    public IEnumerable<DateOnly> Weeks => Enumerable.Range(0, (EarningsWeek.StartOf(To).DayNumber - FirstWeek.DayNumber) / 7 + 1).Select(i => EarningsWeek.StartOf(To).AddDays(-7 * i));

    /// <summary>
    /// The window for a request: without dates the last <see cref="DefaultDays"/> days and <see cref="DefaultWeeks"/> weeks up to
    /// <paramref name="today"/>; with <paramref name="from"/> and/or <paramref name="to"/> (a missing end is today, or 13 days
    /// before <paramref name="to"/>) those days and the weeks they touch. Null and a message naming the argument when the range is bad.
    /// </summary>
    public static (EarningsWindow? Window, string? Error) For(DateOnly? from, DateOnly? to, DateOnly today)
    {
        if (from is null && to is null)
            return (new EarningsWindow(today.AddDays(1 - DefaultDays), today, EarningsWeek.StartOf(today).AddDays(-7 * (DefaultWeeks - 1))), null);
        var end = to ?? today;
        var start = from ?? end.AddDays(1 - DefaultDays);
        if (start > end) return (null, $"from ({start:yyyy-MM-dd}) is after to ({end:yyyy-MM-dd}); give from <= to.");
        var days = end.DayNumber - start.DayNumber + 1;
        if (days > MaxDays) return (null, $"from..to covers {days} days; ask for at most {MaxDays} days at a time.");
        return (new EarningsWindow(start, end, EarningsWeek.StartOf(start)), null);
    }
}
