using System.Globalization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Locations;

namespace Dispatch.Courier.Cli;

/// <summary>Totals of a benchmark run, updated by every courier worker at once.</summary>
internal sealed class BenchStats
{
    private const int MaxPrintedErrors = 10;

    private readonly long[] _byCode = new long[Enum.GetValues<FixRejection>().Max(c => (int)c) + 2];
    private long _batches;
    private long _sent;
    private long _accepted;
    private long _rejected;
    private long _errors;

    public LatencyHistogram Latency { get; } = new();

    public long Batches => Interlocked.Read(ref _batches);

    public long Sent => Interlocked.Read(ref _sent);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Errors => Interlocked.Read(ref _errors);

    public void Record(int sent, FixBatchResult result, TimeSpan roundTrip)
    {
        ArgumentNullException.ThrowIfNull(result);
        Latency.Record(roundTrip);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _accepted, result.Accepted);
        var rejected = result.Rejected ?? [];
        Interlocked.Add(ref _rejected, rejected.Length);
        foreach (var r in rejected)
        {
            var code = (int)r.Code;
            Interlocked.Increment(ref _byCode[code >= 0 && code < _byCode.Length - 1 ? code : _byCode.Length - 1]);
        }
    }

    public void Error(string message)
    {
        if (Interlocked.Increment(ref _errors) <= MaxPrintedErrors) Console.WriteLine($"  ! SendFixes failed: {message}");
    }

    /// <summary>"OutOfOrder 12, Replayed 3" — rejections by code, most frequent first.</summary>
    public string RejectionsByCode()
    {
        var parts = _byCode
            .Select((_, code) => (Count: Interlocked.Read(ref _byCode[code]), Name: code < _byCode.Length - 1 ? ((FixRejection)code).ToString() : "Other"))
            .Where(x => x.Count > 0)
            .OrderByDescending(x => x.Count)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Name} {x.Count}"));
        return string.Join(", ", parts);
    }
}
