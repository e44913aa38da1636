using Dispatch.Core.Contracts;

namespace Dispatch.Courier.Client;

/// <summary>
/// Bounded FIFO of fixes waiting to be sent; thread-safe. When full, the oldest fix is dropped and counted.
/// Each fix gets a sequence number so a batch can be removed after it was acknowledged even if newer fixes
/// arrived (or old ones were dropped) while it was in flight.
/// </summary>
internal sealed class FixBuffer
{
    private readonly Queue<(long Seq, LocationFix Fix)> _queue = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private long _nextSeq;
    private long _dropped;

    public FixBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    public long Dropped
    {
        get { lock (_gate) return _dropped; }
    }

    public void Add(LocationFix fix)
    {
        ArgumentNullException.ThrowIfNull(fix);
        lock (_gate)
        {
            if (_queue.Count >= _capacity)
            {
                _queue.Dequeue();
                _dropped++;
            }
            _queue.Enqueue((_nextSeq++, fix));
        }
    }

    /// <summary>Copies up to <paramref name="max"/> of the oldest fixes, in time order, without removing them.</summary>
    public (LocationFix[] Fixes, long LastSeq) Peek(int max)
    {
        lock (_gate)
        {
            var count = Math.Min(max, _queue.Count);
            if (count == 0) return ([], -1);
            var fixes = new LocationFix[count];
            var last = -1L;
            var i = 0;
            foreach (var (seq, fix) in _queue)
            {
                if (i == count) break;
                fixes[i++] = fix;
                last = seq;
            }
            // Stable sort: fixes reported out of order within one batch still reach the server in time order.
            return (fixes.OrderBy(f => f.Time).ToArray(), last);
        }
    }

    /// <summary>Removes every fix up to and including sequence number <paramref name="seq"/>.</summary>
    public void RemoveThrough(long seq)
    {
        lock (_gate)
        {
            while (_queue.Count > 0 && _queue.Peek().Seq <= seq) _queue.Dequeue();
        }
    }
}
