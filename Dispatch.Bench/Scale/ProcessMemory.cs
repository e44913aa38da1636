using System.Globalization;

namespace Dispatch.Bench.Scale;

/// <summary>
/// A server process's memory as seen from outside: its resident set (/proc/PID/status) and the managed heap after the
/// runtime's last collection, read from the server's Prometheus text (the runtime's own
/// <c>dotnet_gc_last_collection_heap_size_bytes</c>, summed over generations).
/// </summary>
public static class ProcessMemory
{
    private const string GcHeapMetric = "dotnet_gc_last_collection_heap_size_bytes";
    private const string GcCommittedMetric = "dotnet_gc_last_collection_memory_committed_size_bytes";

    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}; is it running?");
    }

    /// <summary>The managed heap after the last collection, or null when the endpoint does not report it.</summary>
    public static Task<long?> GcHeapBytesAsync(HttpClient http, Uri metrics, CancellationToken ct) =>
        MetricAsync(http, metrics, GcHeapMetric, ct);

    /// <summary>
    /// The memory the collector kept committed after its last collection, or null when not reported: what the resident set
    /// holds for the managed heap, live or not.
    /// </summary>
    public static Task<long?> GcCommittedBytesAsync(HttpClient http, Uri metrics, CancellationToken ct) =>
        MetricAsync(http, metrics, GcCommittedMetric, ct);

    private static async Task<long?> MetricAsync(HttpClient http, Uri metrics, string metric, CancellationToken ct)
    {
        var text = await http.GetStringAsync(metrics, ct);
        long? total = null;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || (line[metric.Length] != '{' && line[metric.Length] != ' ')) continue;
            var labelsEnd = line.LastIndexOf('}');
            var value = line[(labelsEnd < 0 ? metric.Length : labelsEnd + 1)..].Trim().Split(' ')[0];
            total = (total ?? 0) + (long)double.Parse(value, CultureInfo.InvariantCulture);
        }
        return total;
    }

    /// <summary>The metric lines a bare endpoint serves so that it is read the same way as the server's.</summary>
    public static string GcHeapText()
    {
        var info = GC.GetGCMemoryInfo();
        var after = 0L;
        foreach (var generation in info.GenerationInfo) after += generation.SizeAfterBytes;
        return string.Create(CultureInfo.InvariantCulture,
            $"{GcHeapMetric}{{gc_heap_generation=\"all\"}} {after}\n{GcCommittedMetric} {info.TotalCommittedBytes}\n");
    }
}
