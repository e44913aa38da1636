using System.Net;

namespace Dispatch.Courier.Api;

/// <summary>
/// How a call that a fault may have dropped is sent again, the way a payment provider resends a notification until it is
/// acknowledged: after a transport error, a timeout, 429 or any 5xx (a node restarting, HAProxy with no node up, a 503 while
/// PostgreSQL is away), with exponential backoff and jitter, waiting the server's Retry-After (up to MaxDelay), and only within
/// <see cref="Budget"/>. Only for calls the server makes idempotent (an order with its Idempotency-Key, the payment callback).
/// </summary>
/// <param name="Budget">How long after the first attempt a retry may still start.</param>
/// <param name="FirstDelay">The pause before the first retry; each later one doubles, up to <paramref name="MaxDelay"/>.</param>
internal sealed record RetryPolicy(TimeSpan Budget, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    /// <summary>Five minutes: longer than a loaded node takes to restart (100–150 s seen in chaos runs).</summary>
    public static RetryPolicy Provider { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>Whether <paramref name="error"/> may be a passing fault rather than an answer that will not change.</summary>
    public static bool IsRetryable(Exception error, CancellationToken cancellationToken) => error switch
    {
        HttpRequestException => true,
        // Not our own cancellation: HttpClient's timeout.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        DispatchApiException { StatusCode: { } status } => status == HttpStatusCode.TooManyRequests || (int)status >= 500,
        _ => false,
    };

    /// <summary>
    /// The pause before retry number <paramref name="retry"/> (from 1): the doubled backoff scaled by 0.5–1 with
    /// <paramref name="jitter"/> (0–1), so a fleet's callbacks do not return in one burst; the server's Retry-After when it
    /// asks for longer, and never more than <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var backoff = FirstDelay * Math.Pow(2, Math.Min(retry - 1, 20));
        if (backoff > MaxDelay) backoff = MaxDelay;
        var delay = backoff * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)));
        if (retryAfter is { } after && after > delay) delay = after;
        return delay > MaxDelay ? MaxDelay : delay;
    }
}
