namespace Dispatch.Core.Webhooks;

/// <summary>
/// When a failed webhook delivery is tried again: exponential back-off with full jitter (a uniform pick between zero and
/// the capped exponential delay, so receivers coming back up are not hit by every sender at once), and after the last
/// attempt it is dead-lettered. Pure: the random draw is a parameter.
/// </summary>
public static class WebhookRetry
{
    /// <summary>
    /// After <paramref name="attempts"/> failed attempts (1 after the first), the delay before the next one, or null when
    /// it was the last (<paramref name="maxAttempts"/>) and the delivery is dead. <paramref name="random"/> is in [0, 1).
    /// </summary>
    public static TimeSpan? NextDelay(int attempts, TimeSpan first, TimeSpan max, int maxAttempts, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        if (attempts >= maxAttempts) return null;
        var ceiling = CappedDelay(attempts, first, max);
        return TimeSpan.FromTicks((long)(ceiling.Ticks * Math.Clamp(random, 0, 1)));
    }

    /// <summary>The most the delay after <paramref name="attempts"/> failures may be: first × 2^(attempts − 1), at most <paramref name="max"/>.</summary>
    public static TimeSpan CappedDelay(int attempts, TimeSpan first, TimeSpan max)
    {
        var doublings = Math.Min(attempts - 1, 40);
        var ticks = first.Ticks * Math.Pow(2, doublings);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
