using System.Globalization;

namespace Dispatch.Bench;

/// <summary>
/// The outbox benchmark's knobs: <see cref="Events"/> order.status events for the throughput phase (and the baseline), written
/// by <see cref="Writers"/> writers <see cref="PerTransaction"/> to a transaction; the latency phase commits <see cref="Rate"/>
/// events a second for <see cref="Seconds"/> seconds, one per transaction; the relay's and the webhook sender's settings;
/// <see cref="WarmUp"/> events go through first, unmeasured, so the measured phase sees a server that has run for a minute: the
/// runtime recompiles hot code with its profile (tier 1, dynamic PGO) only after enough calls, and after 20,000 events it was
/// still compiling ~1,900 methods in the measured phase (a third of the process's CPU per event); after 200,000, a few hundred.
/// </summary>
public sealed record OutboxBenchOptions(int Events, int PerTransaction, int Writers, int Rate, int Seconds, int RelayBatch, int RelayWorkers, int WebhookParallelism, int WebhookBatch, int WarmUp)
{
    public static OutboxBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new OutboxBenchOptions(Events: 20_000, PerTransaction: 50, Writers: 4, Rate: 1_000, Seconds: 20, RelayBatch: 500, RelayWorkers: 2, WebhookParallelism: 64, WebhookBatch: 500, WarmUp: 200_000);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new ArgumentException($"{args[i]} needs a value");
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (value < 1) throw new ArgumentException($"{args[i]} must be at least 1, not {value}");
            o = args[i] switch
            {
                "--events" => o with { Events = value },
                "--per-transaction" => o with { PerTransaction = value },
                "--writers" => o with { Writers = value },
                "--rate" => o with { Rate = value },
                "--seconds" => o with { Seconds = value },
                "--relay-batch" => o with { RelayBatch = value },
                "--relay-workers" => o with { RelayWorkers = value },
                "--webhook-parallelism" => o with { WebhookParallelism = value },
                "--webhook-batch" => o with { WebhookBatch = value },
                "--warm-up" => o with { WarmUp = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
