namespace Dispatch.Core.Payments;

/// <summary>Why money goes back: the rule that sets the amount depends on it.</summary>
public enum RefundReason
{
    /// <summary>Cancelled before the goods were picked up: everything goes back.</summary>
    CancelledBeforePickup = 0,

    /// <summary>Failed after pickup: the configured share is kept for the work done.</summary>
    FailedAfterPickup = 1,

    /// <summary>A dispatcher gave back a chosen amount.</summary>
    Manual = 2,
}
