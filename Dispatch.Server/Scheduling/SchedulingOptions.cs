using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Scheduling;

/// <summary>
/// The Quartz.NET scheduler every node may run: clustered on the project's PostgreSQL (qrtz_ tables), so each firing of a
/// cluster-wide job runs on exactly one node. Section "Scheduling".
/// </summary>
internal sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>
    /// Whether this node runs scheduled jobs. A node with it off serves everything else; the cluster's jobs run on the nodes
    /// that have it on (at least one should, or nothing is archived, partitioned or purged).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often this node records in qrtz_scheduler_state that it is alive, milliseconds; a node silent for longer
    /// (plus Quartz's check-in misfire threshold) is taken for dead and its running jobs are recovered by another.</summary>
    [Range(1_000, 600_000)]
    public int CheckinIntervalMilliseconds { get; set; } = 7_500;

    /// <summary>Jobs this node runs at once.</summary>
    [Range(1, 64)]
    public int ThreadCount { get; set; } = 4;
}
