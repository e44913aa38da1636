namespace Dispatch.Core.Pricing;

/// <summary>
/// A daily window of local time, minutes after midnight, start inclusive and end exclusive. A window whose end is before
/// its start wraps past midnight (22:00–06:00).
/// </summary>
public readonly record struct TimeWindow(int StartMinute, int EndMinute)
{
    public bool Contains(int minuteOfDay) => StartMinute <= EndMinute
        ? minuteOfDay >= StartMinute && minuteOfDay < EndMinute
        : minuteOfDay >= StartMinute || minuteOfDay < EndMinute;

    /// <summary>Reads "HH:mm-HH:mm"; null when the text is not such a window.</summary>
    public static TimeWindow? TryParse(string? text)
    {
        var parts = text?.Split('-');
        if (parts is not { Length: 2 }) return null;
        return Minute(parts[0]) is { } start && Minute(parts[1]) is { } end && start != end ? new TimeWindow(start, end) : null;
    }

    private static int? Minute(string text) =>
        TimeOnly.TryParseExact(text.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            ? (t.Hour * 60) + t.Minute
            : null;
}
