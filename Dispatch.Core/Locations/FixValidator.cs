using System.Globalization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Locations;

/// <summary>Decides whether a location fix is plausible. Pure: the clock and the previous fix come in.</summary>
public static class FixValidator
{
    public static FixVerdict Validate(LocationFix fix, AcceptedFix? previous, DateTimeOffset now, FixLimits limits)
    {
        if (!double.IsFinite(fix.Lat) || !double.IsFinite(fix.Lon))
            return Reject(FixRejection.NotANumber, "Latitude and longitude must be finite numbers (got NaN or infinity).");
        if (fix.Lat is < -90 or > 90)
            return Reject(FixRejection.LatitudeOutOfRange, $"Latitude {Fmt(fix.Lat)} is outside -90..90.");
        if (fix.Lon is < -180 or > 180)
            return Reject(FixRejection.LongitudeOutOfRange, $"Longitude {Fmt(fix.Lon)} is outside -180..180.");
        if (!double.IsFinite(fix.Accuracy) || fix.Accuracy < 0 || fix.Accuracy > limits.MaxAccuracyMetres)
            return Reject(FixRejection.BadAccuracy, $"Accuracy {Fmt(fix.Accuracy)} m is not within 0..{Fmt(limits.MaxAccuracyMetres)} m.");
        if (!double.IsFinite(fix.Speed) || fix.Speed < 0 || fix.Speed > limits.MaxReportedSpeedMetresPerSecond)
            return Reject(FixRejection.BadSpeed, $"Speed {Fmt(fix.Speed)} m/s is not within 0..{Fmt(limits.MaxReportedSpeedMetresPerSecond)} m/s.");
        if (!double.IsFinite(fix.Heading) || fix.Heading < 0 || fix.Heading > 360)
            return Reject(FixRejection.BadHeading, $"Heading {Fmt(fix.Heading)}° is not within 0..360 degrees clockwise from north.");
        if (fix.Time > now + limits.MaxFutureSkew)
            return Reject(FixRejection.InFuture, $"Fix time {fix.Time:O} is {Fmt((fix.Time - now).TotalSeconds)} s in the future; check the device clock.");
        if (fix.Time < now - limits.MaxAge)
            return Reject(FixRejection.TooOld, $"Fix time {fix.Time:O} is older than {Fmt(limits.MaxAge.TotalMinutes)} min.");

        if (previous is { } prev)
        {
            if (fix.Time == prev.Time)
                return Reject(FixRejection.Replayed, $"A fix for {fix.Time:O} was already accepted; replay dropped.");
            if (fix.Time < prev.Time)
                return Reject(FixRejection.OutOfOrder, $"Fix time {fix.Time:O} is before the last accepted fix {prev.Time:O}; dropped.");
            var metres = GeoMath.DistanceMetres(prev.Position, new LatLon(fix.Lat, fix.Lon));
            var seconds = (fix.Time - prev.Time).TotalSeconds;
            var speed = metres / seconds;
            if (speed > limits.MaxSpeedMetresPerSecond)
                return Reject(FixRejection.ImpossibleSpeed, $"Moving {Fmt(metres)} m in {Fmt(seconds)} s is {Fmt(speed * 3.6)} km/h, above the {Fmt(limits.MaxSpeedMetresPerSecond * 3.6)} km/h limit.");
        }
        return FixVerdict.Ok;
    }

    private static FixVerdict Reject(FixRejection code, string message) => new(code, message);

    private static string Fmt(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
