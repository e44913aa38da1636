namespace Dispatch.Core.Tracking;

/// <summary>The thresholds a tracking step decides with (metres, seconds), from the server's options.</summary>
/// <param name="EtaSpeedMetresPerSecond">Speed of a straight-line ETA, where no route is planned.</param>
/// <param name="RerouteAfterMetres">A courier further than this off the route (and not near a stop) asks for a new one.</param>
/// <param name="LeftPickupMetres">Distance from the pickup that counts as having left it.</param>
/// <param name="ArrivingMetres">Distance to the drop-off that counts as arriving.</param>
/// <param name="ArrivingSeconds">Time to the drop-off that counts as arriving.</param>
/// <param name="Pushes">How often the customer's view may be sent a position.</param>
public sealed record TrackingStepSettings(
    double EtaSpeedMetresPerSecond,
    double RerouteAfterMetres,
    double LeftPickupMetres,
    double ArrivingMetres,
    int ArrivingSeconds,
    TrackingPushLimits Pushes);
