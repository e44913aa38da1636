namespace Dispatch.Core.Contracts;

/// <summary>One GPS fix from the runner app. Degrees, metres, metres per second, degrees clockwise from north.</summary>
public sealed record LocationFix(DateTimeOffset Time, double Lat, double Lon, double Accuracy, double Speed, double Heading);
