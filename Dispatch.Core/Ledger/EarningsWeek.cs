namespace Dispatch.Core.Ledger;

/// <summary>The Monday that starts the ISO week of a local day (earnings are summed per such week).</summary>
public static class EarningsWeek
{
    public static DateOnly StartOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
