using System.Globalization;
using Dispatch.Server.Common;

namespace Dispatch.Server.Reports;

/// <summary>The days a report asks for, [From, To] inclusive: from the query (yyyy-MM-dd), the last 30 days by default.</summary>
internal sealed record ReportRange(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;

    public static (ReportRange? Range, Failure? Refusal) Parse(IQueryCollection query, DateOnly today, int maxDays)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!Day(query, "to", today, out var to)) return (null, Failure.BadRequest("to", "to must be a date like 2026-12-01."));
        if (!Day(query, "from", to.AddDays(-(DefaultDays - 1)), out var from)) return (null, Failure.BadRequest("from", "from must be a date like 2026-12-01."));
        if (from > to) return (null, Failure.BadRequest("from", $"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd})."));
        var days = to.DayNumber - from.DayNumber + 1;
        if (days > maxDays) return (null, Failure.BadRequest("to", $"A report covers at most {maxDays} days; {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is {days}. Ask for a shorter range."));
        return (new ReportRange(from, to), null);
    }

    private static bool Day(IQueryCollection query, string name, DateOnly fallback, out DateOnly day)
    {
        var text = query[name].ToString();
        day = fallback;
        return text.Length == 0 || (text.Length <= 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day));
    }
}
