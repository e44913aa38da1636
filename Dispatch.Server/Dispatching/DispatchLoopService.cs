using Dispatch.Core.Matching;
using Dispatch.Core.Zones;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The dispatch heartbeat: expires offers past their lease (moving the order to the next courier), retries orders no
/// courier could take yet (widening the search radius each time), runs each batch zone's round every window, and
/// re-reads the zones' run-time strategies.
/// </summary>
internal sealed class DispatchLoopService(
    OfferAnswers answers,
    OfferRounds offerRounds,
    BatchRound batchRound,
    DispatchMetrics metrics,
    ZoneStrategies strategies,
    ZoneMap zones,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    Common.ResilientLoop loops) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _nextRound = new(StringComparer.Ordinal);
    // Zones whose collection before their next round is done (BatchRound.CollectBetweenRounds).
    private readonly HashSet<string> _collected = new(StringComparer.Ordinal);
    private int _tick;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.LoopIntervalMilliseconds));
        await loops.RunAsync("dispatch", "expiring offers, retrying unassigned orders and running batch rounds", timer.WaitForNextTickAsync, TickAsync, stoppingToken);
    }

    private async ValueTask TickAsync(CancellationToken stoppingToken)
    {
        var retryEvery = Math.Max(1, 2_000 / options.Value.LoopIntervalMilliseconds);
        if (_tick % retryEvery == 0) await strategies.RefreshAsync();
        await answers.ExpireDueOffersAsync(stoppingToken);
        if (++_tick % retryEvery == 0) await offerRounds.RetryUnassignedAsync(stoppingToken);
        await RunDueBatchRoundsAsync(_nextRound, stoppingToken);
    }

    private async Task RunDueBatchRoundsAsync(Dictionary<string, DateTimeOffset> nextRound, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var zone in zones.All)
        {
            var strategy = strategies.For(zone.Name);
            if (strategy.Mode != DispatchMode.Batch)
            {
                nextRound.Remove(zone.Name);
                _collected.Remove(zone.Name);
                continue;
            }
            // The first round comes one window after the zone switched to batch, so a burst of orders is matched together.
            if (!nextRound.TryGetValue(zone.Name, out var due)) nextRound[zone.Name] = due = now.AddSeconds(strategy.BatchWindowSeconds);
            if (now < due)
            {
                // The last tick before the round: a collection now (its pause off any round, after the last round's pushes)
                // leaves the round a fresh gen-0 budget, with one tick's allocations of other work in it at most.
                if (now.AddMilliseconds(options.Value.LoopIntervalMilliseconds) >= due && _collected.Add(zone.Name)) batchRound.CollectBetweenRounds(zone.Name);
                continue;
            }
            _collected.Remove(zone.Name);
            nextRound[zone.Name] = now.AddSeconds(strategy.BatchWindowSeconds);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using (Observability.DispatchTracing.Source.StartActivity("batch round " + zone.Name))
                metrics.BatchRound(zone.Name, await batchRound.RunAsync(zone.Name, ct), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

}
