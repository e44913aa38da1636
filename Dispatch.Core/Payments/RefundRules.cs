namespace Dispatch.Core.Payments;

/// <summary>How much goes back, from what was paid, what already went back, why, and the configured share kept after pickup.</summary>
public static class RefundRules
{
    /// <summary>
    /// The cents to give back now (0 when nothing is owed), or an error for a manual refund that asks for too much or
    /// nothing. Never more than what is left of the payment.
    /// </summary>
    public static (int Cents, string? Error) Decide(int paidCents, int refundedCents, RefundReason reason, int keepPercentAfterPickup, int? requestedCents)
    {
        var left = Math.Max(0, paidCents - refundedCents);
        switch (reason)
        {
            case RefundReason.CancelledBeforePickup:
                return (left, null);
            case RefundReason.FailedAfterPickup:
                var keep = Math.Clamp(keepPercentAfterPickup, 0, 100);
                // Rounded in the customer's favour: the platform keeps at most the configured share.
                var owed = paidCents - (int)((long)paidCents * keep / 100);
                return (Math.Clamp(owed - refundedCents, 0, left), null);
            default:
                if (requestedCents is not { } asked || asked <= 0) return (0, "Give the amount to refund in cents, more than 0.");
                if (asked > left) return (0, $"At most {left} cents are left to refund on this order.");
                return (asked, null);
        }
    }

    /// <summary>
    /// The cents a failed order's platform keeps once the refund by the rule (<paramref name="refundCents"/> now, after
    /// <paramref name="refundedCents"/> earlier) is done; 0 for any other reason (a cancellation gives everything back, a
    /// manual refund decides nothing about the rest).
    /// </summary>
    public static int KeptAfterFailure(int paidCents, int refundedCents, RefundReason reason, int refundCents) =>
        reason == RefundReason.FailedAfterPickup ? Math.Max(0, paidCents - refundedCents - refundCents) : 0;
}
