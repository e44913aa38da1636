using Dispatch.Core.Archive;

namespace Dispatch.Tests.Core;

public sealed class TrackPointPartitionPlanTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Fact]
    public void Creates_today_and_the_days_ahead_that_no_partition_covers()
    {
        var (create, drop) = TrackPointPartitionPlan.For(["track_points_p20261206", "track_points_default"], Today, retentionDays: 30, daysAhead: 2);
        Assert.Equal([new DateOnly(2026, 12, 7), new DateOnly(2026, 12, 8)], create);
        Assert.Empty(drop);
    }

    [Fact]
    public void The_table_found_by_the_migration_covers_every_day_before_its_bound()
    {
        var (create, _) = TrackPointPartitionPlan.For(["track_points_until_20261207"], Today, retentionDays: 30, daysAhead: 1);
        Assert.Equal([new DateOnly(2026, 12, 7)], create);
    }

    [Fact]
    public void Drops_partitions_whose_every_day_is_past_the_retention_and_keeps_the_rest()
    {
        string[] names = ["track_points_until_20261101", "track_points_p20261105", "track_points_p20261106", "track_points_p20261107", "track_points_default"];
        var (_, drop) = TrackPointPartitionPlan.For(names, Today, retentionDays: 30, daysAhead: 0);
        // Oldest day kept: 2026-11-06. The 5 November partition ends on it; the 6 November one still holds a kept day.
        Assert.Equal(["track_points_until_20261101", "track_points_p20261105"], drop.Select(p => p.Name));
    }

    [Theory]
    [InlineData("track_points_default")]
    [InlineData("track_points_p2026")]
    [InlineData("track_points_p20261340")]
    [InlineData("other_p20261206")]
    public void Names_of_neither_form_are_left_alone(string name) => Assert.Null(TrackPointPartition.Parse(name));
}
