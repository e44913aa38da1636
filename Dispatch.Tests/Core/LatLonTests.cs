using Dispatch.Core.Geo;

namespace Dispatch.Tests.Core;

public sealed class LatLonTests
{
    [Theory]
    [InlineData("43.7396,7.4276", 43.7396, 7.4276)]
    [InlineData(" 43.7396 , 7.4276 ", 43.7396, 7.4276)]
    [InlineData("-33.8688,151.2093", -33.8688, 151.2093)]
    [InlineData("0,0", 0, 0)]
    [InlineData("90,-180", 90, -180)]
    [InlineData("4.37396e1,+7.4276", 43.7396, 7.4276)]
    public void TryParse_reads_lat_then_lon(string text, double lat, double lon)
    {
        var parsed = LatLon.TryParse(text);

        Assert.NotNull(parsed);
        Assert.Equal(lat, parsed.Value.Lat);
        Assert.Equal(lon, parsed.Value.Lon);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("43.7396")]
    [InlineData("43.7396,")]
    [InlineData(",7.4276")]
    [InlineData("43.7396;7.4276")]
    [InlineData("43.7396 7.4276")]
    [InlineData("1,2,3")]
    [InlineData("43,7396,7,4276")]  // decimal commas are not accepted
    [InlineData("north,east")]
    [InlineData("0x2B,7")]
    public void TryParse_returns_null_for_malformed_text(string? text)
    {
        Assert.Null(LatLon.TryParse(text));
    }

    [Fact]
    public void TryParse_does_not_range_check_but_IsInRange_does()
    {
        var parsed = LatLon.TryParse("91,200");

        Assert.NotNull(parsed);
        Assert.True(parsed.Value.IsFinite);
        Assert.False(parsed.Value.IsInRange);
    }

    [Theory]
    [InlineData(43.7396, 7.4276, true, true)]
    [InlineData(90, 180, true, true)]
    [InlineData(-90, -180, true, true)]
    [InlineData(90.5, 0, true, false)]
    [InlineData(0, -180.5, true, false)]
    [InlineData(double.NaN, 0, false, false)]
    [InlineData(0, double.PositiveInfinity, false, false)]
    public void Finite_and_range_checks(double lat, double lon, bool finite, bool inRange)
    {
        var p = new LatLon(lat, lon);

        Assert.Equal(finite, p.IsFinite);
        Assert.Equal(inRange, p.IsInRange);
    }

    [Fact]
    public void ToString_is_invariant_lat_comma_lon_and_round_trips()
    {
        var p = new LatLon(43.7396, -7.4276);

        Assert.Equal("43.7396,-7.4276", p.ToString());
        Assert.Equal(p, LatLon.TryParse(p.ToString()));
    }

    [Fact]
    public void ToString_keeps_six_decimals()
    {
        Assert.Equal("43.123457,7", new LatLon(43.1234567, 7.0).ToString());
    }
}
