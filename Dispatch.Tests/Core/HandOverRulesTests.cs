using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class HandOverRulesTests
{
    private static readonly LatLon Dropoff = new(43.7309, 7.4197);

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    public void Pin_entry_locks_when_the_wrong_tries_reach_the_limit(int tries, bool locked) =>
        Assert.Equal(locked, HandOverRules.IsLocked(tries, 5));

    [Fact]
    public void A_wrong_pin_says_how_many_tries_are_left_and_the_last_one_says_call_the_dispatcher()
    {
        Assert.Contains("(2 tries left)", HandOverRules.WrongPin("D-000001", OrderStatus.InTransit, 3, 5), StringComparison.Ordinal);
        Assert.Contains("(1 try left)", HandOverRules.WrongPin("D-000001", OrderStatus.InTransit, 4, 5), StringComparison.Ordinal);
        Assert.EndsWith("PIN entry is locked after 5 wrong tries; call the dispatcher to unlock.", HandOverRules.WrongPin("D-000001", OrderStatus.InTransit, 5, 5), StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_is_allowed_within_the_distance_and_refused_beyond_it_naming_both_distances()
    {
        Assert.Null(HandOverRules.PlaceRefusal("D-000001", GeoMath.StepToward(Dropoff, new LatLon(43.74, 7.42), 149), Dropoff, 150, waived: false));
        var far = HandOverRules.PlaceRefusal("D-000001", GeoMath.StepToward(Dropoff, new LatLon(43.74, 7.42), 470), Dropoff, 150, waived: false);
        Assert.Equal("You are 470 m from the drop-off of order D-000001; deliver within 150 m of it, or call the dispatcher.", far);
    }

    [Fact]
    public void An_unknown_position_is_refused_unless_a_dispatcher_allowed_any_place()
    {
        Assert.Contains("position is unknown", HandOverRules.PlaceRefusal("D-000001", null, Dropoff, 150, waived: false), StringComparison.Ordinal);
        Assert.Null(HandOverRules.PlaceRefusal("D-000001", null, Dropoff, 150, waived: true));
        Assert.Null(HandOverRules.PlaceRefusal("D-000001", new LatLon(43.75, 7.43), Dropoff, 150, waived: true));
    }
}
