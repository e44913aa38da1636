namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Waits for a condition on stored state (Redis, Postgres) written by a background flush, checking every 50 ms up to a deadline.
/// For pushed messages use <see cref="Inbox{T}"/> instead.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        T last;
        do
        {
            last = await probe();
            if (done(last)) return last;
        }
        while (DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync());
        throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
    }
}
