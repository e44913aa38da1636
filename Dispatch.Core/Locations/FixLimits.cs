namespace Dispatch.Core.Locations;

/// <summary>Plausibility limits for location fixes.</summary>
public sealed record FixLimits(
    TimeSpan MaxFutureSkew,
    TimeSpan MaxAge,
    double MaxSpeedMetresPerSecond,
    double MaxAccuracyMetres,
    double MaxReportedSpeedMetresPerSecond = 100)
{
    /// <summary>
    /// 5 s clock skew, 10 min old at most, 70 m/s (252 km/h) between fixes, accuracy under 2 km, and a reported speed of at
    /// most 100 m/s (a device's own reading, noisier than the speed between fixes).
    /// </summary>
    public static FixLimits Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), 70, 2_000);
}
