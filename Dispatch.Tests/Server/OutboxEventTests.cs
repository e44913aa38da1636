using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;

namespace Dispatch.Tests.Server;

/// <summary>An event's payload is parsed once and shared by the consumers of its batch, without changing what the event is.</summary>
public sealed class OutboxEventTests
{
    private static OutboxEvent Moved() => new(7, Guid.NewGuid(), OutboxKinds.OrderStatus, Guid.NewGuid(), DateTimeOffset.UnixEpoch,
        """{"orderId":"5b7a1f0e-0000-4000-8000-000000000001","number":42,"merchantId":"shop","zone":"monaco","from":"pickedUp","to":"delivered","courierId":null,"previousCourierId":null,"at":"2026-12-06T21:00:00+00:00","actor":"test","note":null}""");

    [Fact]
    public void A_second_read_of_the_same_type_returns_the_parsed_payload_of_the_first()
    {
        var e = Moved();
        var first = e.Read<OrderMoved>();
        Assert.Equal(OrderStatus.Delivered, first.To);
        Assert.Equal(42, first.Number);
        Assert.Same(first, e.Read<OrderMoved>());
    }

    [Fact]
    public void Reading_an_event_leaves_it_equal_to_an_unread_copy()
    {
        var e = Moved();
        var copy = e with { };
        e.Read<OrderMoved>();
        Assert.Equal(copy, e);
        Assert.Equal(copy.GetHashCode(), e.GetHashCode());
    }
}
