using Dispatch.Core.Notifications;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class CustomerNoticesTests
{
    [Theory]
    [InlineData(OrderStatus.Offered, OrderStatus.Accepted, CustomerNoticeKind.CourierFound)]
    [InlineData(OrderStatus.Dispatching, OrderStatus.Accepted, CustomerNoticeKind.CourierFound)] // a batch round assigns directly
    [InlineData(OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp, CustomerNoticeKind.PickedUp)]
    [InlineData(OrderStatus.ArrivedAtDropoff, OrderStatus.Delivered, CustomerNoticeKind.Delivered)]
    [InlineData(OrderStatus.InTransit, OrderStatus.Delivered, CustomerNoticeKind.Delivered)]
    [InlineData(OrderStatus.Placed, OrderStatus.Cancelled, CustomerNoticeKind.Cancelled)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Cancelled, CustomerNoticeKind.Cancelled)]
    [InlineData(OrderStatus.InTransit, OrderStatus.Failed, CustomerNoticeKind.Failed)]
    [InlineData(OrderStatus.Placed, OrderStatus.Paid, null)]
    [InlineData(OrderStatus.Paid, OrderStatus.Dispatching, null)]
    [InlineData(OrderStatus.Dispatching, OrderStatus.Offered, null)]
    [InlineData(OrderStatus.Offered, OrderStatus.Dispatching, null)] // a decline: still finding a courier
    [InlineData(OrderStatus.Accepted, OrderStatus.Dispatching, null)] // a release: nothing new for the customer yet
    [InlineData(OrderStatus.Accepted, OrderStatus.Accepted, null)] // a reassignment between couriers
    [InlineData(OrderStatus.Accepted, OrderStatus.ArrivedAtPickup, null)]
    [InlineData(OrderStatus.PickedUp, OrderStatus.InTransit, null)]
    [InlineData(OrderStatus.InTransit, OrderStatus.ArrivedAtDropoff, null)]
    [InlineData(OrderStatus.PickedUp, OrderStatus.PickedUp, null)] // a hand-over between couriers keeps the goods carried
    public void Each_move_means_one_notice_or_none(OrderStatus from, OrderStatus to, CustomerNoticeKind? expected)
    {
        Assert.Equal(expected, CustomerNotices.ForMove(from, to));
    }

    [Theory]
    [InlineData(CustomerNoticeKind.CourierFound, new[] { CustomerNoticeKind.PickedUp }, true)]
    [InlineData(CustomerNoticeKind.CourierFound, new[] { CustomerNoticeKind.CourierFound }, false)]
    [InlineData(CustomerNoticeKind.PickedUp, new[] { CustomerNoticeKind.CourierFound }, false)]
    [InlineData(CustomerNoticeKind.PickedUp, new[] { CustomerNoticeKind.Delivered }, true)]
    [InlineData(CustomerNoticeKind.Delayed, new[] { CustomerNoticeKind.Arriving }, true)]
    [InlineData(CustomerNoticeKind.Arriving, new[] { CustomerNoticeKind.Delayed }, false)]
    [InlineData(CustomerNoticeKind.Delivered, new[] { CustomerNoticeKind.Failed }, false)] // final news always goes out
    [InlineData(CustomerNoticeKind.Cancelled, new CustomerNoticeKind[0], false)]
    public void A_held_message_is_stale_once_later_news_exists(CustomerNoticeKind kind, CustomerNoticeKind[] others, bool stale)
    {
        Assert.Equal(stale, CustomerNotices.IsStale(kind, others));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("FR", "fr")]
    [InlineData("zh-hans", "zh-Hans")]
    [InlineData(" fr ", "fr")]
    [InlineData("zh", null)]
    [InlineData("de", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Languages_are_the_supported_tags_in_any_case(string? tag, string? expected)
    {
        Assert.Equal(expected, CustomerLanguages.Normalize(tag));
    }
}
