using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>
/// Decides whether a refusal for a client is logged now: at most once per client and kind per interval, carrying how many
/// were not logged since, so a flooding client cannot flood the log. Entries of clients gone quiet are dropped as it grows.
/// </summary>
internal sealed class RefusalLog(IOptions<RateLimitOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(string Kind, string Client), Entry> _entries = new();
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(options.Value.LogIntervalSeconds);

    /// <summary>True when this refusal should be logged; <paramref name="suppressed"/> is how many were skipped before it.</summary>
    public bool ShouldLog(string kind, string client, out long suppressed)
    {
        var now = clock.GetTimestamp();
        var entry = _entries.GetOrAdd((kind, client), static _ => new Entry());
        lock (entry)
        {
            if (entry.LastLogged != 0 && clock.GetElapsedTime(entry.LastLogged, now) < _interval)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
        }
        if (_entries.Count > PruneAbove) Prune(now);
        return true;
    }

    private void Prune(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (clock.GetElapsedTime(entry.LastLogged, now) >= _interval) _entries.TryRemove(key, out _);
        }
    }

    private sealed class Entry
    {
        public long LastLogged;
        public long Suppressed;
    }
}
