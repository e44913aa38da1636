namespace Dispatch.Core.Couriers;

/// <summary>Where a courier stands in onboarding: registered and waiting, approved by an admin, or rejected with a reason.</summary>
public enum CourierReview
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}
