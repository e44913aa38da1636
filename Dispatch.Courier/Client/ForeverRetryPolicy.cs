using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Courier.Client;

/// <summary>
/// Reconnects forever: immediately once, then exponential backoff from 0.5 s up to a cap, with jitter. Stops when the
/// server refuses the token (401): retrying the same token would loop in silence; the connection then closes and
/// <see cref="CourierConnection"/> tries once more with whatever token its provider gives, or reports the refusal.
/// </summary>
internal sealed class ForeverRetryPolicy(TimeSpan maxDelay, Func<bool> ended) : IRetryPolicy
{
    /// <summary><paramref name="ended"/>: true once the server ended the session for good (a suspension); nothing is retried then.</summary>
    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        ended() || IsTokenRefused(retryContext.RetryReason) ? null : Delay(retryContext.PreviousRetryCount, maxDelay, Random.Shared.NextDouble());

    /// <summary>
    /// True when the server refused the bearer token (expired, or not issued by it): a 401 to negotiation, or to the
    /// WebSocket upgrade, which .NET reports only in the message ("status code '401' when status code '101' was expected").
    /// </summary>
    internal static bool IsTokenRefused(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized }) return true;
            if (e is System.Net.WebSockets.WebSocketException && e.Message.Contains("'401'", StringComparison.Ordinal)) return true;
        }
        return false;
    }

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
