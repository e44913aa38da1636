using System.Numerics;

namespace Dispatch.Courier.Cli;

/// <summary>
/// Lock-free log-linear histogram of latencies in microseconds: exact below 64 µs, then 64 buckets per power of
/// two (about 1.6 % resolution). Many workers record concurrently without allocating.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Length = SubBuckets * (64 - SubBucketBits + 1);

    private readonly long[] _counts = new long[Length];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(0L, (long)latency.TotalMicroseconds);
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The latency below which <paramref name="quantile"/> (0..1) of the recorded values fall, milliseconds.</summary>
    public double PercentileMilliseconds(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        var snapshot = new long[Length];
        long total = 0;
        for (var i = 0; i < Length; i++)
        {
            snapshot[i] = Interlocked.Read(ref _counts[i]);
            total += snapshot[i];
        }
        if (total == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < Length; i++)
        {
            seen += snapshot[i];
            if (seen >= rank) return Midpoint(i) / 1000.0;
        }
        return Midpoint(Length - 1) / 1000.0;
    }

    internal static int Index(long micros)
    {
        if (micros < SubBuckets) return (int)micros;
        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)micros); // floor(log2 micros) >= SubBucketBits
        var shift = exponent - SubBucketBits;
        var sub = (int)(micros >> shift) - SubBuckets; // 0..63
        return SubBuckets + shift * SubBuckets + sub;
    }

    internal static long LowerBound(int index)
    {
        if (index < SubBuckets) return index;
        var shift = (index - SubBuckets) / SubBuckets;
        var sub = (index - SubBuckets) % SubBuckets;
        return (long)(SubBuckets + sub) << shift;
    }

    private static double Midpoint(int index)
    {
        if (index < SubBuckets) return index;
        var low = LowerBound(index);
        var width = 1L << ((index - SubBuckets) / SubBuckets);
        return low + (width - 1) / 2.0;
    }
}
