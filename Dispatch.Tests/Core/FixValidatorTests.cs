using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Locations;

namespace Dispatch.Tests.Core;

public sealed class FixValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon Casino = new(43.7396, 7.4276);
    private static readonly FixLimits Limits = FixLimits.Default;

    private static LocationFix Fix(double lat, double lon, double accuracy = 8, double secondsFromNow = 0) =>
        new(Now.AddSeconds(secondsFromNow), lat, lon, accuracy, Speed: 5, Heading: 90);

    private static LocationFix FixAt(LatLon p, double secondsFromNow) => Fix(p.Lat, p.Lon, secondsFromNow: secondsFromNow);

    [Fact]
    public void First_fix_without_a_previous_one_is_accepted()
    {
        var verdict = FixValidator.Validate(FixAt(Casino, 0), previous: null, Now, Limits);

        Assert.True(verdict.IsAccepted);
        Assert.Equal(FixRejection.None, verdict.Rejection);
        Assert.Null(verdict.Message);
    }

    [Theory]
    [InlineData(double.NaN, 7.4276)]
    [InlineData(43.7396, double.NaN)]
    [InlineData(double.PositiveInfinity, 7.4276)]
    [InlineData(double.NegativeInfinity, 7.4276)]
    [InlineData(43.7396, double.PositiveInfinity)]
    [InlineData(43.7396, double.NegativeInfinity)]
    public void Non_finite_coordinates_are_rejected(double lat, double lon)
    {
        var verdict = FixValidator.Validate(Fix(lat, lon), null, Now, Limits);

        Assert.Equal(FixRejection.NotANumber, verdict.Rejection);
        Assert.False(verdict.IsAccepted);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Message));
    }

    [Theory]
    [InlineData(90.0001, 0, FixRejection.LatitudeOutOfRange)]
    [InlineData(-90.0001, 0, FixRejection.LatitudeOutOfRange)]
    [InlineData(123, 7.4, FixRejection.LatitudeOutOfRange)]
    [InlineData(0, 180.0001, FixRejection.LongitudeOutOfRange)]
    [InlineData(0, -180.0001, FixRejection.LongitudeOutOfRange)]
    [InlineData(43.7, 361, FixRejection.LongitudeOutOfRange)]
    [InlineData(90, 180, FixRejection.None)]
    [InlineData(-90, -180, FixRejection.None)]
    [InlineData(0, 0, FixRejection.None)]
    public void Coordinates_must_be_within_range(double lat, double lon, FixRejection expected)
    {
        var verdict = FixValidator.Validate(Fix(lat, lon), null, Now, Limits);

        Assert.Equal(expected, verdict.Rejection);
    }

    [Fact]
    public void Latitude_message_shows_the_bad_value()
    {
        var verdict = FixValidator.Validate(Fix(123.5, 7.4), null, Now, Limits);

        Assert.Contains("123.5", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, FixRejection.BadAccuracy)]
    [InlineData(-0.01, FixRejection.BadAccuracy)]
    [InlineData(double.NaN, FixRejection.BadAccuracy)]
    [InlineData(double.PositiveInfinity, FixRejection.BadAccuracy)]
    [InlineData(2_000.5, FixRejection.BadAccuracy)]
    [InlineData(50_000, FixRejection.BadAccuracy)]
    [InlineData(0, FixRejection.None)]
    [InlineData(12.5, FixRejection.None)]
    [InlineData(2_000, FixRejection.None)]
    public void Accuracy_must_be_between_zero_and_the_limit(double accuracy, FixRejection expected)
    {
        var verdict = FixValidator.Validate(Fix(Casino.Lat, Casino.Lon, accuracy), null, Now, Limits);

        Assert.Equal(expected, verdict.Rejection);
    }

    [Theory]
    [InlineData(3_600, FixRejection.InFuture)]
    [InlineData(6, FixRejection.InFuture)]
    [InlineData(5.001, FixRejection.InFuture)]
    [InlineData(5, FixRejection.None)]      // exactly the allowed skew
    [InlineData(2, FixRejection.None)]      // device clock slightly ahead
    [InlineData(0, FixRejection.None)]
    [InlineData(-600, FixRejection.None)]   // exactly the maximum age
    [InlineData(-600.001, FixRejection.TooOld)]
    [InlineData(-86_400, FixRejection.TooOld)]
    public void Fix_time_must_be_recent_and_not_ahead_of_the_clock_beyond_skew(double secondsFromNow, FixRejection expected)
    {
        var verdict = FixValidator.Validate(FixAt(Casino, secondsFromNow), null, Now, Limits);

        Assert.Equal(expected, verdict.Rejection);
    }

    [Fact]
    public void Future_fix_message_points_at_the_device_clock()
    {
        var verdict = FixValidator.Validate(FixAt(Casino, 30), null, Now, Limits);

        Assert.Equal(FixRejection.InFuture, verdict.Rejection);
        Assert.Contains("30 s in the future", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("device clock", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_come_from_the_parameter_not_the_defaults()
    {
        var strict = Limits with { MaxFutureSkew = TimeSpan.Zero, MaxAge = TimeSpan.FromSeconds(30), MaxAccuracyMetres = 50 };

        Assert.Equal(FixRejection.InFuture, FixValidator.Validate(FixAt(Casino, 1), null, Now, strict).Rejection);
        Assert.Equal(FixRejection.TooOld, FixValidator.Validate(FixAt(Casino, -31), null, Now, strict).Rejection);
        Assert.Equal(FixRejection.BadAccuracy, FixValidator.Validate(Fix(Casino.Lat, Casino.Lon, 60), null, Now, strict).Rejection);
    }

    [Fact]
    public void Same_time_as_the_last_accepted_fix_is_a_replay()
    {
        var previous = new AcceptedFix(Now.AddSeconds(-3), Casino);

        var verdict = FixValidator.Validate(FixAt(Casino, -3), previous, Now, Limits);

        Assert.Equal(FixRejection.Replayed, verdict.Rejection);
    }

    [Fact]
    public void Replay_is_detected_even_when_the_position_differs()
    {
        var previous = new AcceptedFix(Now.AddSeconds(-3), Casino);

        var verdict = FixValidator.Validate(Fix(Casino.Lat + 0.0001, Casino.Lon, secondsFromNow: -3), previous, Now, Limits);

        Assert.Equal(FixRejection.Replayed, verdict.Rejection);
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(-3.001)]
    [InlineData(-120)]
    public void Fix_before_the_last_accepted_fix_is_out_of_order(double secondsFromNow)
    {
        var previous = new AcceptedFix(Now.AddSeconds(-3), Casino);

        var verdict = FixValidator.Validate(FixAt(Casino, secondsFromNow), previous, Now, Limits);

        Assert.Equal(FixRejection.OutOfOrder, verdict.Rejection);
    }

    [Theory]
    // 0.009° of latitude ≈ 1000.8 m; 0.0045° ≈ 500.4 m (haversine, checked independently).
    [InlineData(0.009, 10, FixRejection.ImpossibleSpeed)]   // ≈ 100 m/s
    [InlineData(0.09, 60, FixRejection.ImpossibleSpeed)]    // ≈ 167 m/s
    [InlineData(0.0045, 10, FixRejection.None)]             // ≈ 50 m/s, a fast car
    [InlineData(0.009, 60, FixRejection.None)]              // ≈ 17 m/s
    [InlineData(0, 1, FixRejection.None)]                   // standing still
    public void Speed_between_fixes_must_be_plausible(double latDelta, double secondsAfterPrevious, FixRejection expected)
    {
        var previous = new AcceptedFix(Now.AddSeconds(-secondsAfterPrevious), Casino);
        var next = new LatLon(Casino.Lat + latDelta, Casino.Lon);

        var verdict = FixValidator.Validate(FixAt(next, 0), previous, Now, Limits);

        Assert.Equal(expected, verdict.Rejection);
    }

    [Fact]
    public void Impossible_speed_message_gives_the_speed_in_kilometres_per_hour()
    {
        var previous = new AcceptedFix(Now.AddSeconds(-10), Casino);

        var verdict = FixValidator.Validate(Fix(Casino.Lat + 0.009, Casino.Lon), previous, Now, Limits);

        Assert.Equal(FixRejection.ImpossibleSpeed, verdict.Rejection);
        Assert.Contains("km/h", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("252 km/h limit", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinate_checks_come_before_time_checks()
    {
        var verdict = FixValidator.Validate(Fix(double.NaN, 7.4, secondsFromNow: 3_600), null, Now, Limits);

        Assert.Equal(FixRejection.NotANumber, verdict.Rejection);
    }
}
