using Dispatch.Core.Accounts;
using Dispatch.Core.Geo;
using Dispatch.Core.Pricing;

namespace Dispatch.Tests.Core;

public sealed class QuoteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon A = new(43.7396, 7.4276), B = new(43.7309, 7.4197), C = new(43.7350, 7.4200);
    private static readonly QuotedTrip Quoted = new("parcel", [A, C, B]);

    [Fact]
    public void A_valid_quote_and_the_same_trip_are_accepted()
    {
        Assert.Null(QuoteRules.Check(Quoted, Now.AddMinutes(1), null, Now));
        Assert.Null(QuoteRules.Check(Quoted, Now.AddMinutes(1), new QuotedTrip("parcel", [A, C, new LatLon(B.Lat + 0.00001, B.Lon)]), Now));
    }

    [Fact]
    public void An_expired_quote_is_refused() =>
        Assert.Contains("expired", QuoteRules.Check(Quoted, Now, null, Now), StringComparison.Ordinal);

    [Fact]
    public void Another_service_or_other_places_are_refused()
    {
        Assert.Contains("service 'parcel'", QuoteRules.Check(Quoted, Now.AddMinutes(1), Quoted with { ServiceId = "frozen" }, Now), StringComparison.Ordinal);
        Assert.Contains("drop-off", QuoteRules.Check(Quoted, Now.AddMinutes(1), new QuotedTrip("parcel", [A, C, C]), Now), StringComparison.Ordinal);
        Assert.Contains("stop 1", QuoteRules.Check(Quoted, Now.AddMinutes(1), new QuotedTrip("parcel", [A, B, B]), Now), StringComparison.Ordinal);
        Assert.Contains("stops", QuoteRules.Check(Quoted, Now.AddMinutes(1), new QuotedTrip("parcel", [A, B]), Now), StringComparison.Ordinal);
    }

    [Fact]
    public void Straight_line_estimates_stretch_by_the_detour_factor()
    {
        var trip = TripEstimate.StraightLine([A, B], 1.5, 5);
        var direct = GeoMath.DistanceMetres(A, B);
        Assert.Equal(direct * 1.5, trip.Metres, 6);
        Assert.Equal(direct * 1.5 / 5, trip.TravelSeconds, 6);
        Assert.False(trip.ByRoad);
        Assert.Equal(10 + 4 + 6, new TripEstimate(1_000, 200, true).EtaMinutes(10, 3, 2)); // 200 s is 4 started minutes
    }

    [Theory]
    [InlineData(true, 0, 0, false, SignInCodeVerdict.Accepted)]
    [InlineData(false, 0, 0, false, SignInCodeVerdict.Wrong)]
    [InlineData(true, 5, 0, false, SignInCodeVerdict.Expired)]
    [InlineData(true, 0, 5, false, SignInCodeVerdict.TooManyTries)]
    [InlineData(true, 0, 0, true, SignInCodeVerdict.Used)]
    public void Sign_in_codes_work_once_within_their_minutes_and_tries(bool matches, int minutesLater, int triesBefore, bool used, SignInCodeVerdict expected) =>
        Assert.Equal(expected, SignInCodeRules.Judge(matches, Now.AddMinutes(5), used, triesBefore, 5, Now.AddMinutes(minutesLater)));

    [Fact]
    public void A_number_gets_a_limited_number_of_codes_per_window()
    {
        Assert.Null(SignInCodeRules.CheckSend(4, 5, 60));
        Assert.Contains("5 codes", SignInCodeRules.CheckSend(5, 5, 60), StringComparison.Ordinal);
    }
}
