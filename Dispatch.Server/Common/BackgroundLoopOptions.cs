using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Common;

/// <summary>How a background loop that failed unexpectedly backs off and reports it. Section "BackgroundLoops".</summary>
internal sealed class BackgroundLoopOptions
{
    public const string Section = "BackgroundLoops";

    /// <summary>The pause after a loop's first failure in a row, milliseconds; it doubles with each further failure.</summary>
    [Range(1, 60_000)]
    public int BackoffFirstMilliseconds { get; set; } = 500;

    /// <summary>The longest pause between a failing loop's tries, seconds.</summary>
    [Range(1, 3_600)]
    public int BackoffMaxSeconds { get; set; } = 30;

    /// <summary>A failing loop is logged at most once per this many seconds (with the count of failures in between).</summary>
    [Range(1, 3_600)]
    public int LogIntervalSeconds { get; set; } = 60;
}
