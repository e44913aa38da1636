using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class CustomerCancelRulesTests
{
    [Theory]
    [InlineData(OrderStatus.Placed, true)]
    [InlineData(OrderStatus.Paid, true)]
    [InlineData(OrderStatus.Dispatching, true)]
    [InlineData(OrderStatus.Offered, true)]
    [InlineData(OrderStatus.Accepted, false)]
    [InlineData(OrderStatus.PickedUp, false)]
    [InlineData(OrderStatus.Delivered, false)]
    [InlineData(OrderStatus.Cancelled, false)]
    public void A_customer_may_cancel_until_a_courier_accepts(OrderStatus status, bool may)
    {
        Assert.Equal(may, CustomerCancelRules.MayCancel(status));
        Assert.Equal(may, CustomerCancelRules.Refusal(status, "D-000001") is null);
    }

    [Fact]
    public void The_refusal_names_the_order_and_the_reason()
    {
        Assert.Equal("A courier has accepted order D-000007 and is on the way; ask the dispatcher to cancel it.", CustomerCancelRules.Refusal(OrderStatus.InTransit, "D-000007"));
        Assert.Equal("Order D-000007 is already cancelled.", CustomerCancelRules.Refusal(OrderStatus.Cancelled, "D-000007"));
    }
}
