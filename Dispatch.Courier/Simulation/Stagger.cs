namespace Dispatch.Courier.Simulation;

/// <summary>Starts work at a steady rate (e.g. connections per second) instead of all at once.</summary>
internal static class Stagger
{
    private static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Calls <paramref name="start"/> for each item, at most <paramref name="perSecond"/> per second, and returns the
    /// started tasks without awaiting them. Stops starting new ones when cancelled.
    /// </summary>
    public static async Task<List<Task>> StartAsync<T>(
        IReadOnlyList<T> items, double perSecond, Func<T, Task> start, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        var started = new List<Task>(items.Count);
        var perSlot = perSecond * Slot.TotalSeconds;
        var budget = Math.Max(0, 1 - perSlot); // the first item starts at once
        using var timer = new PeriodicTimer(Slot, time);
        var next = 0;
        try
        {
            while (next < items.Count)
            {
                // Fractional budget carries over so 3 per second really means 3 per second.
                budget += perSlot;
                while (budget >= 1 && next < items.Count)
                {
                    started.Add(start(items[next++]));
                    budget -= 1;
                }
                if (next < items.Count && !await timer.WaitForNextTickAsync(cancellationToken)) break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return started;
    }
}
