using Dispatch.Core.Outbox;

namespace Dispatch.Tests.Core;

/// <summary>The relay's pick from a window of pending outbox rows: the first of each order, every row of no order, in id order.</summary>
public sealed class FirstPerOrderTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();

    [Fact]
    public void Only_the_first_pending_row_of_an_order_is_picked_and_rows_of_no_order_always_are()
    {
        (long, Guid?)[] window = [(1, A), (2, A), (3, null), (4, B), (5, null), (6, B), (7, A)];
        Assert.Equal([1L, 3, 4, 5], FirstPerOrder.Pick(window, 10));
    }

    [Fact]
    public void The_pick_stops_at_the_limit_in_id_order()
    {
        (long, Guid?)[] window = [(1, A), (2, A), (3, B), (4, null)];
        Assert.Equal([1L, 3], FirstPerOrder.Pick(window, 2));
        Assert.Empty(FirstPerOrder.Pick([], 5));
    }
}
