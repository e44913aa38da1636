using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Courier.Client;

/// <summary>Reconnects forever: immediately once, then exponential backoff from 0.5 s up to a cap, with jitter.</summary>
internal sealed class ForeverRetryPolicy(TimeSpan maxDelay) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        Delay(retryContext.PreviousRetryCount, maxDelay, Random.Shared.NextDouble());

    /// <summary>
    /// Delay before retry number <paramref name="previousRetries"/> + 1. <paramref name="jitter01"/> in [0, 1)
    /// spreads a fleet that lost the server at the same moment, so it does not come back in lockstep.
    /// </summary>
    internal static TimeSpan Delay(long previousRetries, TimeSpan maxDelay, double jitter01)
    {
        if (previousRetries <= 0) return TimeSpan.Zero;
        var exponent = Math.Min(previousRetries - 1, 20);
        var ceilingMs = Math.Min(maxDelay.TotalMilliseconds, 500 * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceilingMs * (0.5 + 0.5 * jitter01));
    }
}
