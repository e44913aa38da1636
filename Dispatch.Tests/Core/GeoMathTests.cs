using Dispatch.Core.Geo;

namespace Dispatch.Tests.Core;

public sealed class GeoMathTests
{
    private static readonly LatLon Casino = new(43.7396, 7.4276);
    private static readonly LatLon MonacoStation = new(43.7389, 7.4197);

    [Fact]
    public void Casino_to_Monaco_station_is_about_640_metres()
    {
        // 639.42 m by an independent haversine on R = 6 371 008.8 m.
        Assert.Equal(639.42, GeoMath.DistanceMetres(Casino, MonacoStation), 0.05);
    }

    [Theory]
    // Expected metres from an independent haversine (R = 6 371 008.8 m).
    [InlineData(0, 0, 0, 1, 111_195.08)]                    // one degree of longitude on the equator
    [InlineData(0, 0, 1, 0, 111_195.08)]                    // one degree of latitude
    [InlineData(51.5007, -0.1246, 48.8584, 2.2945, 340_539.39)] // Big Ben to the Eiffel Tower
    [InlineData(0, 0, 0, 180, 20_015_114.44)]               // antipodes: half the circumference
    [InlineData(0, 0, 90, 0, 10_007_557.22)]                // equator to pole
    [InlineData(0, 179.5, 0, -179.5, 111_195.08)]           // across the antimeridian, not the long way round
    public void Distance_matches_known_values(double lat1, double lon1, double lat2, double lon2, double metres)
    {
        Assert.Equal(metres, GeoMath.DistanceMetres(new LatLon(lat1, lon1), new LatLon(lat2, lon2)), 0.05);
    }

    [Fact]
    public void Distance_is_symmetric_and_zero_to_itself()
    {
        Assert.Equal(0, GeoMath.DistanceMetres(Casino, Casino));
        Assert.Equal(GeoMath.DistanceMetres(Casino, MonacoStation), GeoMath.DistanceMetres(MonacoStation, Casino), 9);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(250)]
    [InlineData(600)]
    public void StepToward_moves_the_requested_distance_along_the_line(double metres)
    {
        var total = GeoMath.DistanceMetres(Casino, MonacoStation);

        var step = GeoMath.StepToward(Casino, MonacoStation, metres);

        Assert.Equal(metres, GeoMath.DistanceMetres(Casino, step), 0.5);
        Assert.Equal(total - metres, GeoMath.DistanceMetres(step, MonacoStation), 0.5);
    }

    [Theory]
    [InlineData(639.5)]
    [InlineData(10_000)]
    public void StepToward_lands_exactly_on_the_target_when_it_is_closer_than_the_step(double metres)
    {
        Assert.Equal(MonacoStation, GeoMath.StepToward(Casino, MonacoStation, metres));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(0)]  // 0 ÷ 0 must not turn into a NaN position
    public void StepToward_from_the_target_itself_stays_there(double metres)
    {
        var result = GeoMath.StepToward(Casino, Casino, metres);

        Assert.Equal(Casino, result);
        Assert.True(result.IsFinite);
    }

    [Fact]
    public void StepToward_by_zero_metres_stays_at_the_start()
    {
        Assert.Equal(Casino, GeoMath.StepToward(Casino, MonacoStation, 0));
    }

    [Theory]
    [InlineData(-1, 43.7396, 7.4276)]
    [InlineData(0, 43.7396, 7.4276)]
    [InlineData(0.5, 43.73925, 7.42365)]
    [InlineData(1, 43.7389, 7.4197)]
    [InlineData(2, 43.7389, 7.4197)]
    public void Interpolate_clamps_the_fraction(double fraction, double lat, double lon)
    {
        var p = GeoMath.Interpolate(Casino, MonacoStation, fraction);

        Assert.Equal(lat, p.Lat, 9);
        Assert.Equal(lon, p.Lon, 9);
    }

    [Theory]
    [InlineData(43.7396, 7.4276, 100)]
    [InlineData(43.7396, 7.4276, 500)]
    [InlineData(-33.8688, 151.2093, 200)]
    [InlineData(0.0001, -0.0001, 100)]
    [InlineData(64.1466, -21.9426, 250)]
    public void Coarsen_stays_within_half_a_grid_cell(double lat, double lon, double metres)
    {
        var p = new LatLon(lat, lon);

        var coarse = GeoMath.Coarsen(p, metres);

        // Half the diagonal of a metres × metres cell, plus a little for the spherical approximation.
        Assert.InRange(GeoMath.DistanceMetres(p, coarse), 0, metres * Math.Sqrt(2) / 2 * 1.02);
    }

    [Fact]
    public void Coarsen_hides_the_exact_spot_and_snaps_to_a_grid()
    {
        var coarse = GeoMath.Coarsen(Casino, 200);

        Assert.NotEqual(Casino, coarse);
        var latCells = coarse.Lat / (200 / 111_320.0);
        Assert.Equal(Math.Round(latCells), latCells, 6);
    }

    [Theory]
    // All three fall in the same 1 km cell (independently checked: lat cells 4869.09, 4869.18 and 4868.64
    // round to 4869; lon cells 597.39 and 597.47 round to 597).
    [InlineData(43.7404, 7.4286)]
    [InlineData(43.7355, 7.4276)]
    public void Points_in_one_cell_coarsen_to_the_same_position(double lat, double lon)
    {
        var a = GeoMath.Coarsen(Casino, 1_000);
        var b = GeoMath.Coarsen(new LatLon(lat, lon), 1_000);

        Assert.Equal(a, b);
    }

    [Fact]
    public void Coarse_longitude_does_not_reveal_the_exact_latitude()
    {
        // Same longitude, latitudes 1 m apart inside one cell: the shown position must be identical.
        var a = GeoMath.Coarsen(new LatLon(43.73960, 7.4276), 300);
        var b = GeoMath.Coarsen(new LatLon(43.73961, 7.4276), 300);

        Assert.Equal(a.Lon, b.Lon);
    }

    [Fact]
    public void Coarsen_is_stable_when_applied_twice()
    {
        var once = GeoMath.Coarsen(Casino, 300);

        Assert.Equal(once, GeoMath.Coarsen(once, 300));
    }

    [Fact]
    public void Coarser_grid_moves_the_point_further_than_a_fine_one()
    {
        var fine = GeoMath.Coarsen(Casino, 10);
        var coarse = GeoMath.Coarsen(Casino, 1_000);

        // Independently: 4.3 m on the 10 m grid, 402 m on the 1 km grid.
        Assert.InRange(GeoMath.DistanceMetres(Casino, fine), 0, 7.1);
        Assert.InRange(GeoMath.DistanceMetres(Casino, coarse), 350, 450);
    }
}
