namespace Dispatch.Courier.Api;

/// <summary>
/// Sends one idempotent call under a <see cref="RetryPolicy"/>; errors are returned, not thrown (except our cancellation).
/// <c>onRetry</c> hears each failed attempt that will be sent again.
/// </summary>
internal static class RetryingCall
{
    public static async Task<RetryOutcome<T>> RunAsync<T>(
        Func<CancellationToken, Task<T>> call, RetryPolicy policy, TimeProvider time, Action<Exception>? onRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            Exception error;
            try
            {
                return new RetryOutcome<T>(await call(cancellationToken), null, false, attempt, time.GetElapsedTime(started));
            }
            catch (Exception ex) when (ex is HttpRequestException or DispatchApiException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = ex;
            }
            var elapsed = time.GetElapsedTime(started);
            if (!RetryPolicy.IsRetryable(error, cancellationToken)) return new RetryOutcome<T>(default, error, false, attempt, elapsed);
            var delay = policy.DelayBefore(attempt, (error as DispatchApiException)?.RetryAfter, Random.Shared.NextDouble());
            if (elapsed + delay > policy.Budget) return new RetryOutcome<T>(default, error, true, attempt, elapsed);
            onRetry?.Invoke(error);
            await Task.Delay(delay, time, cancellationToken);
        }
    }
}
