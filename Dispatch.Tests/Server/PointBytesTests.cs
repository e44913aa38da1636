using Dispatch.Server.Persistence;

namespace Dispatch.Tests.Server;

/// <summary>Points read as their own bytes (<see cref="PointBytes"/>): what PostGIS sends for <c>point::bytea</c>, and what it must refuse.</summary>
public sealed class PointBytesTests
{
    [Theory]
    // Copied from PostgreSQL 15 + PostGIS 3: select encode(pickup::bytea, 'hex') / encode(st_asbinary(pickup), 'hex').
    [InlineData("0101000020e61000007aab0392e1bb1d40e2d37af075dd4540")]
    [InlineData("01010000007aab0392e1bb1d40e2d37af075dd4540")]
    // The same point big-endian, without and with the SRID.
    [InlineData("0000000001401dbbe19203ab7a4045dd75f07ad3e2")]
    [InlineData("0020000001000010e6401dbbe19203ab7a4045dd75f07ad3e2")]
    public void A_stored_point_decodes_to_its_latitude_and_longitude(string hex)
    {
        var point = PointBytes.Decode(Convert.FromHexString(hex));
        Assert.Equal(43.7302, point.Lat, 4);
        Assert.Equal(7.4335, point.Lon, 4);
    }

    [Theory]
    [InlineData("0101000020e61000007aab0392e1bb1d40", "at least 21 bytes")]
    [InlineData("0101000020e61000007aab0392e1bb1d40e2d37af075dd", "25 bytes")]
    [InlineData("01010000a0e61000007aab0392e1bb1d40e2d37af075dd45400000000000000000", "Not a 2-D WKB point")]
    [InlineData("0102000020e61000007aab0392e1bb1d40e2d37af075dd4540", "Not a 2-D WKB point")]
    public void Anything_but_a_whole_2d_point_is_refused(string hex, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => PointBytes.Decode(Convert.FromHexString(hex)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
