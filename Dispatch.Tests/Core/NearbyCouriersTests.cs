using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;

namespace Dispatch.Tests.Core;

public sealed class NearbyCouriersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static List<CourierSnapshot> Scatter(Random random, int count, double spreadDegrees) =>
        [.. Enumerable.Range(0, count).Select(i => new CourierSnapshot(new Guid(i + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "z",
            43.73 + ((random.NextDouble() - 0.5) * spreadDegrees), 7.42 + ((random.NextDouble() - 0.5) * spreadDegrees),
            Now, Equipment.None, Vehicle.Bicycle, 2, 0, CourierActivity.Idle))];

    [Theory]
    [InlineData(5_000, 0.02, 1_500, 30)]   // Monaco at rush hour: everybody within every ring
    [InlineData(2_000, 0.5, 1_500, 30)]    // a large city: a few per ring
    [InlineData(300, 0.3, 3_000, 10)]
    [InlineData(40, 0.05, 400, 30)]        // fewer within the radius than asked for
    public void Answers_exactly_as_a_search_over_every_courier(int couriers, double spread, double radius, int count)
    {
        var random = new Random(couriers);
        var all = Scatter(random, couriers, spread);
        var index = new NearbyCouriers(all);
        // The overload a batch round uses: one list per thread, reused for every search, answers of any length.
        var reused = new List<Candidate>();
        for (var q = 0; q < 200; q++)
        {
            var point = new LatLon(43.73 + ((random.NextDouble() - 0.5) * spread), 7.42 + ((random.NextDouble() - 0.5) * spread));
            var expected = all.Select(c => (c.CourierId, D: GeoMath.DistanceMetres(point, c.Position))).Where(x => x.D <= radius)
                .OrderBy(x => x.D).ThenBy(x => x.CourierId).Take(count).ToList();
            var actual = index.Nearest(point, radius, count);
            Assert.Equal(expected.Select(x => x.CourierId), actual.Select(c => c.Courier.CourierId));
            Assert.Equal(expected.Select(x => x.D), actual.Select(c => c.DistanceMetres));
            index.Nearest(point, radius, q % 7 == 0 ? count / 3 : count, reused);
            Assert.Equal(actual.Take(q % 7 == 0 ? count / 3 : count), reused);
        }
    }

    [Fact]
    public void A_dense_cluster_with_a_few_couriers_far_out_answers_exactly_anywhere()
    {
        // The grid is made fine for the cluster; queries far from it reach the stragglers through the occupied-cell walk.
        var random = new Random(11);
        var all = Scatter(random, 3_000, 0.01).Concat(Scatter(random, 60, 0.4)).DistinctBy(c => c.CourierId).ToList();
        all = [.. all.Select((c, i) => c with { CourierId = new Guid(i + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) })];
        var index = new NearbyCouriers(all);
        Assert.True(index.CellMetres < 100, $"a dense cluster should get a fine grid, got {index.CellMetres} m cells");
        foreach (var (radius, count) in new[] { (1_500.0, 20), (12_000.0, 30), (40_000.0, 5) })
        {
            for (var q = 0; q < 100; q++)
            {
                var point = new LatLon(43.73 + ((random.NextDouble() - 0.5) * 0.4), 7.42 + ((random.NextDouble() - 0.5) * 0.4));
                var expected = all.Select(c => (c.CourierId, D: GeoMath.DistanceMetres(point, c.Position))).Where(x => x.D <= radius)
                    .OrderBy(x => x.D).ThenBy(x => x.CourierId).Take(count).Select(x => x.CourierId).ToList();
                Assert.Equal(expected, index.Nearest(point, radius, count).Select(c => c.Courier.CourierId));
            }
        }
    }

    [Fact]
    public void A_spread_out_zone_keeps_coarse_cells()
    {
        Assert.Equal(250, new NearbyCouriers(Scatter(new Random(3), 2_000, 0.5)).CellMetres);
    }

    [Fact]
    public void An_empty_zone_has_nobody_near()
    {
        Assert.Empty(new NearbyCouriers(Array.Empty<CourierSnapshot>()).Nearest(new LatLon(43.73, 7.42), 12_000, 30));
    }
}
