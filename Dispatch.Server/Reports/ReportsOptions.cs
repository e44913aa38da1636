using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Reports;

/// <summary>Statistics roll-ups and the reports API. Section "Reports".</summary>
internal sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>Longest range one report may cover, days (a year and a month by default).</summary>
    [Range(1, 3_660)]
    public int MaxRangeDays { get; set; } = 400;

    /// <summary>When the daily roll-up of yesterday runs: a Quartz cron expression, UTC (00:15 by default).</summary>
    [Required]
    public string RollupCron { get; set; } = "0 15 0 * * ?";

    /// <summary>How far back an order may have been created to count when it finishes in the rolled-up day, days.</summary>
    [Range(1, 60)]
    public int OrderLookbackDays { get; set; } = 7;
}
