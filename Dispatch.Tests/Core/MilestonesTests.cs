using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class MilestonesTests
{
    private static readonly LatLon Pickup = new(43.7396, 7.4276), Dropoff = new(43.7309, 7.4197);

    private static Milestone Next(OrderStatus status, LatLon at, int eta = 900, bool arriving = false) =>
        Milestones.Next(status, arriving, at, Pickup, Dropoff, eta, leftPickupMetres: 100, arrivingMetres: 300, arrivingSeconds: 120);

    [Theory]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.ArrivedAtPickup)]
    [InlineData(OrderStatus.ArrivedAtDropoff)]
    [InlineData(OrderStatus.Delivered)]
    public void Nothing_happens_unless_the_goods_are_on_the_way(OrderStatus status) =>
        Assert.Equal(Milestone.None, Next(status, Dropoff, eta: 0));

    [Fact]
    public void Leaving_the_pickup_starts_the_transit()
    {
        Assert.Equal(Milestone.None, Next(OrderStatus.PickedUp, GeoMath.StepToward(Pickup, Dropoff, 50)));
        Assert.Equal(Milestone.LeftPickup, Next(OrderStatus.PickedUp, GeoMath.StepToward(Pickup, Dropoff, 150)));
        Assert.Equal(Milestone.None, Next(OrderStatus.InTransit, GeoMath.StepToward(Pickup, Dropoff, 150)));
    }

    [Fact]
    public void Near_the_drop_off_by_distance_or_time_is_arriving_once()
    {
        var near = GeoMath.StepToward(Dropoff, Pickup, 250);
        Assert.Equal(Milestone.Arriving, Next(OrderStatus.InTransit, near));
        Assert.Equal(Milestone.Arriving, Next(OrderStatus.PickedUp, near));
        Assert.Equal(Milestone.Arriving, Next(OrderStatus.InTransit, GeoMath.StepToward(Pickup, Dropoff, 150), eta: 100));
        Assert.Equal(Milestone.None, Next(OrderStatus.InTransit, near, arriving: true));
    }
}
