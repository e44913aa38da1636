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
        for (var q = 0; q < 200; q++)
        {
            var point = new LatLon(43.73 + ((random.NextDouble() - 0.5) * spread), 7.42 + ((random.NextDouble() - 0.5) * spread));
            var expected = all.Select(c => (c.CourierId, D: GeoMath.DistanceMetres(point, c.Position))).Where(x => x.D <= radius)
                .OrderBy(x => x.D).ThenBy(x => x.CourierId).Take(count).ToList();
            var actual = index.Nearest(point, radius, count);
            Assert.Equal(expected.Select(x => x.CourierId), actual.Select(c => c.Courier.CourierId));
            Assert.Equal(expected.Select(x => x.D), actual.Select(c => c.DistanceMetres));
        }
    }

    [Fact]
    public void An_empty_zone_has_nobody_near()
    {
        Assert.Empty(new NearbyCouriers([]).Nearest(new LatLon(43.73, 7.42), 12_000, 30));
    }
}
