using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class RatingRulesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_delivered_order_takes_one_to_five_stars_once(int stars)
    {
        Assert.Null(RatingRules.Check("D-1", OrderStatus.Delivered, alreadyRated: false, stars, null));
        Assert.Null(RatingRules.Check("D-1", OrderStatus.Delivered, alreadyRated: false, stars, new string('x', RatingRules.MaxCommentLength)));
        Assert.Contains("already been rated", RatingRules.Check("D-1", OrderStatus.Delivered, alreadyRated: true, stars, null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    public void Stars_outside_one_to_five_are_refused(int stars) =>
        Assert.Contains("1 to 5 stars", RatingRules.Check("D-1", OrderStatus.Delivered, false, stars, null), StringComparison.Ordinal);

    [Theory]
    [InlineData(OrderStatus.PickedUp)]
    [InlineData(OrderStatus.ArrivedAtDropoff)]
    [InlineData(OrderStatus.Cancelled)]
    public void Only_delivered_orders_are_rated(OrderStatus status) =>
        Assert.Contains("once it has been delivered", RatingRules.Check("D-1", status, false, 5, null), StringComparison.Ordinal);

    [Fact]
    public void A_long_comment_is_refused() =>
        Assert.Contains("at most 500", RatingRules.Check("D-1", OrderStatus.Delivered, false, 4, new string('x', 501)), StringComparison.Ordinal);
}
