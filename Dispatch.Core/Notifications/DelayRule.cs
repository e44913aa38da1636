namespace Dispatch.Core.Notifications;

/// <summary>Why a customer is told their order is late.</summary>
public enum DelayReason
{
    None,
    EtaPastPromise,
    CourierSilent,
}

/// <summary>
/// Whether an order with a courier is late enough to tell its customer: the current ETA is past the promise made at accept
/// by more than <paramref name="Threshold"/>, or the courier has sent no position for longer than <paramref name="SilentLimit"/>
/// (or none is known). Pure.
/// </summary>
public sealed record DelayRule(TimeSpan Threshold, TimeSpan SilentLimit)
{
    /// <param name="promisedAt">orders.eta_at_accept.</param>
    /// <param name="currentEta">The drop-off ETA from the courier's last position; null when no position is known.</param>
    /// <param name="lastFixAt">When the courier's last position was taken; null when none is known.</param>
    public DelayReason Decide(DateTimeOffset promisedAt, DateTimeOffset? currentEta, DateTimeOffset? lastFixAt, DateTimeOffset now)
    {
        if (lastFixAt is not { } fix || now - fix > SilentLimit) return DelayReason.CourierSilent;
        if (currentEta is { } eta && eta - promisedAt > Threshold) return DelayReason.EtaPastPromise;
        return DelayReason.None;
    }
}
