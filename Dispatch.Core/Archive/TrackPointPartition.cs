namespace Dispatch.Core.Archive;

/// <summary>
/// One partition of track_points: the UTC days [From, To) it holds, by its name. Daily partitions are
/// track_points_pYYYYMMDD (one day); the table the partitioning migration found is track_points_until_YYYYMMDD
/// (everything before that day, From = null).
/// </summary>
public sealed record TrackPointPartition(string Name, DateOnly? From, DateOnly To)
{
    public const string DailyPrefix = "track_points_p";
    public const string UntilPrefix = "track_points_until_";

    public static string DailyName(DateOnly day) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DailyPrefix}{day:yyyyMMdd}");

    /// <summary>The partition a name stands for, or null for a name of neither form (the default partition, say).</summary>
    public static TrackPointPartition? Parse(string name)
    {
        if (name.StartsWith(DailyPrefix, StringComparison.Ordinal) && Day(name[DailyPrefix.Length..]) is { } day)
            return new TrackPointPartition(name, day, day.AddDays(1));
        if (name.StartsWith(UntilPrefix, StringComparison.Ordinal) && Day(name[UntilPrefix.Length..]) is { } until)
            return new TrackPointPartition(name, null, until);
        return null;
    }

    private static DateOnly? Day(string digits) =>
        DateOnly.TryParseExact(digits, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;
}
