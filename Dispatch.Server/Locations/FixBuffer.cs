namespace Dispatch.Server.Locations;

/// <summary>
/// A queue of fix batches bounded in bytes (an estimate of what the batches hold in memory): adding never waits, and when
/// the bound is passed the oldest batches are shed until it holds again. Only position updates travel here (commands go
/// straight to their coordinators), and a newer fix supersedes an older one, so shedding the oldest loses history, never
/// a courier's latest position. The newest batch is always kept, even alone over the bound.
/// </summary>
internal sealed class FixBuffer(long maxBytes, Action<int, int> shed)
{
    // Object headers and array lengths of a FixBatch with its four arrays, bytes.
    private const int BatchOverhead = 48 + 4 * 24;

    // AcceptedFix (time 16 + position 16) and three floats, bytes.
    private const int PerFix = 32 + 3 * 4;

    private readonly Queue<FixBatch> _batches = new();
    private readonly Lock _sync = new();
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>Estimated bytes of the batches queued now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count
    {
        get
        {
            lock (_sync) return _batches.Count;
        }
    }

    public static long SizeOf(FixBatch batch) => BatchOverhead + (long)batch.Fixes.Length * PerFix;

    /// <summary>Queues the batch and sheds the oldest ones past the bound (reported as batches and fixes shed).</summary>
    public void Add(FixBatch batch)
    {
        int shedBatches = 0, shedFixes = 0;
        lock (_sync)
        {
            _batches.Enqueue(batch);
            var bytes = _bytes + SizeOf(batch);
            while (bytes > maxBytes && _batches.Count > 1)
            {
                var oldest = _batches.Dequeue();
                bytes -= SizeOf(oldest);
                shedBatches++;
                shedFixes += oldest.Fixes.Length;
            }
            Interlocked.Exchange(ref _bytes, bytes);
        }
        if (shedBatches > 0) shed(shedBatches, shedFixes);
    }

    public bool TryTake(out FixBatch batch)
    {
        lock (_sync)
        {
            if (!_batches.TryDequeue(out batch!)) return false;
            Interlocked.Exchange(ref _bytes, _bytes - SizeOf(batch));
            return true;
        }
    }
}
