using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>
/// After a Redis outage each courier is sent the jobs they hold, read a moment before; a change in that moment whose news
/// reached the courier first is undone by the snapshot, so the resync reads again and sends again to whoever differs.
/// </summary>
public sealed class JobsInHandChangesTests
{
    private static readonly Guid A = Guid.CreateVersion7(), B = Guid.CreateVersion7();

    private static ActiveJob Job(Guid id, OrderStatus status = OrderStatus.Accepted) =>
        new(id, "D-1", status, OrderKind.HotFood, 43.74, 7.42, "Pickup", 43.73, 7.41, "Drop-off", "+377 ** ** 33");

    [Fact]
    public void A_job_given_after_the_read_is_sent_again()
    {
        Assert.True(JobsInHandChanges.Differ([Job(A)], [Job(A), Job(B)]));
        Assert.True(JobsInHandChanges.Differ([], [Job(B)]));
    }

    [Fact]
    public void A_job_taken_after_the_read_is_sent_again() => Assert.True(JobsInHandChanges.Differ([Job(A), Job(B)], [Job(A)]));

    [Fact]
    public void A_job_stepped_after_the_read_is_sent_again() =>
        Assert.True(JobsInHandChanges.Differ([Job(A, OrderStatus.ArrivedAtPickup)], [Job(A, OrderStatus.PickedUp)]));

    [Fact]
    public void The_same_jobs_in_another_order_or_none_at_all_are_not_sent_again()
    {
        Assert.False(JobsInHandChanges.Differ([Job(A), Job(B)], [Job(B), Job(A)]));
        Assert.False(JobsInHandChanges.Differ([], []));
    }

    [Fact]
    public void Two_jobs_against_one_job_twice_differ() => Assert.True(JobsInHandChanges.Differ([Job(A), Job(B)], [Job(A), Job(A)]));
}
