using System.Collections.Concurrent;
using Dispatch.Server.Common;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Makes a background loop's next pieces of work throw, and counts how often each loop came to work.</summary>
public sealed class LoopFaults : ILoopFaults
{
    private readonly ConcurrentDictionary<string, Counts> _loops = new(StringComparer.Ordinal);

    /// <summary>The loop's next <paramref name="times"/> pieces of work throw an <see cref="InjectedFaultException"/>.</summary>
    public void Arm(string loopName, int times) => Interlocked.Exchange(ref For(loopName).Armed, times);

    /// <summary>How many times the loop came to work (faulted or not).</summary>
    public long Calls(string loopName) => Interlocked.Read(ref For(loopName).Calls);

    /// <summary>How many injected faults the loop has met.</summary>
    public long Thrown(string loopName) => Interlocked.Read(ref For(loopName).Thrown);

    public void BeforeWork(string loopName)
    {
        var counts = For(loopName);
        Interlocked.Increment(ref counts.Calls);
        if (Interlocked.Decrement(ref counts.Armed) < 0)
        {
            Interlocked.Increment(ref counts.Armed);
            return;
        }
        var n = Interlocked.Increment(ref counts.Thrown);
        throw new InjectedFaultException($"injected fault {n} in {loopName}");
    }

    private Counts For(string loopName) => _loops.GetOrAdd(loopName, static _ => new Counts());

    private sealed class Counts
    {
        public int Armed;
        public long Calls;
        public long Thrown;
    }
}
