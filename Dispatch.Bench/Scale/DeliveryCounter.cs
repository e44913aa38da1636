using System.Diagnostics;

namespace Dispatch.Bench.Scale;

/// <summary>Invocations received by many <see cref="RawHubSocket"/>s, and when the last one arrived.</summary>
public sealed class DeliveryCounter
{
    private long _count;
    private long _lastAt;

    public long Count => Interlocked.Read(ref _count);

    /// <summary><see cref="Stopwatch"/> timestamp of the latest delivery (0 before the first).</summary>
    public long LastAt => Interlocked.Read(ref _lastAt);

    public void Add()
    {
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _lastAt, Stopwatch.GetTimestamp());
    }
}
