using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Archive;

/// <summary>What is kept where, and for how long: track_points partitions and the order archive. Section "Archive".</summary>
internal sealed class ArchiveOptions
{
    public const string Section = "Archive";

    /// <summary>Days of track_points kept: a daily partition (UTC) whose every day is older is detached and dropped.</summary>
    [Range(1, 3650)]
    public int TrackPointRetentionDays { get; set; } = 30;

    /// <summary>Daily partitions created ahead of today, so fixes of the coming days never land in the default partition.</summary>
    [Range(1, 60)]
    public int TrackPointDaysAhead { get; set; } = 3;

    /// <summary>How often partition upkeep runs (also once at the scheduler's start), minutes.</summary>
    [Range(1, 1440)]
    public int PartitionIntervalMinutes { get; set; } = 60;

    /// <summary>Delivered, cancelled and failed orders created longer ago than this move to the archive schema, days.</summary>
    [Range(1, 36500)]
    public int OrderAgeDays { get; set; } = 90;

    /// <summary>Orders moved per transaction: one batch's rows are counted, copied, counted again and deleted together.</summary>
    [Range(1, 10_000)]
    public int OrderBatchSize { get; set; } = 500;

    /// <summary>When the order archival runs: a Quartz cron expression (seconds first), in UTC. Default 03:30 every day.</summary>
    [Required]
    public string OrderArchiveCron { get; set; } = "0 30 3 * * ?";
}
