using Dispatch.Core.Couriers;

namespace Dispatch.Tests.Core;

/// <summary>What a courier going online may work with: refused unless approved and unsuspended, never more than verified.</summary>
public sealed class ShiftAllowanceTests
{
    [Theory]
    [InlineData(CourierReview.Pending, false, "waiting for review")]
    [InlineData(CourierReview.Rejected, false, "rejected")]
    [InlineData(CourierReview.Approved, true, "suspended")]
    public void Only_an_approved_unsuspended_courier_goes_online(CourierReview review, bool suspended, string refusal)
    {
        var decision = ShiftAllowance.Decide(new CourierStanding(review, suspended, Equipment.ActiveCooler, 5), Equipment.None, 1);
        Assert.Contains(refusal, decision.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Equipment.ActiveCooler, 4, Equipment.InsulatedBox, 2, Equipment.InsulatedBox, 2, true)]   // claims more: verified, told
    [InlineData(Equipment.None, 1, Equipment.InsulatedBox, 2, Equipment.None, 1, false)]                 // claims less: the claim
    [InlineData(Equipment.InsulatedBox, 2, Equipment.InsulatedBox, 2, Equipment.InsulatedBox, 2, false)]
    public void Dispatch_gets_the_lesser_of_claimed_and_verified(Equipment claimed, int claimedCapacity, Equipment verified, int verifiedCapacity,
        Equipment equipment, int capacity, bool told)
    {
        var decision = ShiftAllowance.Decide(new CourierStanding(CourierReview.Approved, false, verified, verifiedCapacity), claimed, claimedCapacity);
        Assert.Null(decision.Refusal);
        Assert.Equal(equipment, decision.Equipment);
        Assert.Equal(capacity, decision.Capacity);
        Assert.Equal(told, decision.Notice is not null);
    }

    [Theory]
    [InlineData(CourierReview.Pending, false, "approve", true)]
    [InlineData(CourierReview.Approved, false, "approve", false)]
    [InlineData(CourierReview.Pending, false, "suspend", false)]
    [InlineData(CourierReview.Approved, true, "suspend", false)]
    [InlineData(CourierReview.Approved, true, "reinstate", true)]
    [InlineData(CourierReview.Approved, false, "reinstate", false)]
    [InlineData(CourierReview.Rejected, false, "reject", false)]
    public void Review_actions_apply_only_where_they_make_sense(CourierReview review, bool suspended, string action, bool applies) =>
        Assert.Equal(applies, ShiftAllowance.CheckReview(review, suspended, action) is null);
}
