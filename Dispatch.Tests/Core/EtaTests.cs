using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class EtaTests
{
    // On the equator: courier at the origin, pickup 0.01° north, drop-off 0.01° east.
    // Independently: courier→pickup 1111.95 m, pickup→drop-off 1572.54 m, courier→drop-off 1111.95 m.
    private static readonly LatLon Courier = new(0, 0);
    private static readonly LatLon Pickup = new(0.01, 0);
    private static readonly LatLon Dropoff = new(0, 0.01);

    [Theory]
    [InlineData(10, 11_120)]  // 111 195.08 m ÷ 10 m/s, rounded up
    [InlineData(1.3, 85_535)] // walking
    [InlineData(111_196, 1)]
    public void StraightLineSeconds_is_distance_over_speed_rounded_up(double speed, int seconds)
    {
        Assert.Equal(seconds, Eta.StraightLineSeconds(new LatLon(0, 0), new LatLon(0, 1), speed));
    }

    [Fact]
    public void StraightLineSeconds_to_the_same_place_is_zero()
    {
        Assert.Equal(0, Eta.StraightLineSeconds(Pickup, Pickup, 5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void StraightLineSeconds_needs_a_positive_speed(double speed)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Eta.StraightLineSeconds(Courier, Pickup, speed));
    }

    [Theory]
    [InlineData(OrderStatus.Dispatching)]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.ArrivedAtPickup)]
    public void Before_pickup_the_eta_goes_via_the_pickup(OrderStatus status)
    {
        // ceil(1111.95 / 5) + ceil(1572.54 / 5) = 223 + 315.
        Assert.Equal(538, Eta.ToDropoffSeconds(status, Courier, Pickup, Dropoff, 5));
    }

    [Theory]
    [InlineData(OrderStatus.PickedUp)]
    [InlineData(OrderStatus.InTransit)]
    [InlineData(OrderStatus.ArrivedAtDropoff)]
    public void While_carrying_the_eta_goes_straight_to_the_dropoff(OrderStatus status)
    {
        // ceil(1111.95 / 5).
        Assert.Equal(223, Eta.ToDropoffSeconds(status, Courier, Pickup, Dropoff, 5));
    }
}
