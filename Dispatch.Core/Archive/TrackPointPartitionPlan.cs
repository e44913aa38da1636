namespace Dispatch.Core.Archive;

/// <summary>
/// What partition upkeep does to track_points on a given UTC day: create the daily partitions from today to
/// <c>daysAhead</c> days on that no partition covers yet, and drop those whose every day is older than the retention
/// (a partition ending on or before today − retentionDays).
/// </summary>
public static class TrackPointPartitionPlan
{
    public static (IReadOnlyList<DateOnly> Create, IReadOnlyList<TrackPointPartition> Drop) For(
        IEnumerable<string> partitionNames, DateOnly today, int retentionDays, int daysAhead)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retentionDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(daysAhead);
        var partitions = partitionNames.Select(TrackPointPartition.Parse).OfType<TrackPointPartition>().ToList();
        var create = new List<DateOnly>();
        for (var day = today; day <= today.AddDays(daysAhead); day = day.AddDays(1))
        {
            var d = day;
            if (!partitions.Any(p => (p.From is null || p.From <= d) && d < p.To)) create.Add(d);
        }
        var oldestKept = today.AddDays(-retentionDays);
        var drop = partitions.Where(p => p.To <= oldestKept).OrderBy(p => p.To).ToList();
        return (create, drop);
    }
}
