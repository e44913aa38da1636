using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Dispatch.Bench.Batch;

/// <summary>
/// With <c>BENCH_JIT_NAMES=1</c>: the methods the JIT compiles while <see cref="Recording"/> (the measured rounds), from the
/// runtime's own JIT events, so a trickle of compilations after the warm-up has names (tier-1 recompiles, dynamic methods).
/// </summary>
internal sealed class JitNames : EventListener
{
    // The runtime's JIT keyword: MethodJittingStarted and MethodLoadVerbose events.
    private const EventKeywords JitKeyword = (EventKeywords)0x10;

    private readonly ConcurrentDictionary<string, int> _compiled = new();

    public bool Recording { get; set; }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Recording || eventData.EventName is not { } name || !name.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || eventData.Payload is null) return;
        var names = eventData.PayloadNames!;
        string Field(string field) => names.IndexOf(field) is var i and >= 0 ? eventData.Payload[i]?.ToString() ?? "" : "";
        var key = $"{Field("MethodNamespace")}::{Field("MethodName")} [{Field("OptimizationTier")}]";
        _compiled.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    /// <summary>The most compiled methods, most first: "count × namespace::name [tier]".</summary>
    public IEnumerable<string> Top(int count) =>
        _compiled.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Take(count).Select(x => $"{x.Value} × {x.Key}");

    public int Total => _compiled.Values.Sum();
}
