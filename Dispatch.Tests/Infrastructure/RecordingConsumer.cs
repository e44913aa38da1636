using System.Collections.Concurrent;
using Dispatch.Server.Outbox;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A test's outbox consumer: records every event it is handed (<see cref="Deliveries"/>, shared by the consumers of one test
/// so that two relays write to one log). <see cref="Before"/>, when set, runs first on each batch: a test makes the consumer
/// fail or hold a claimed batch with it.
/// </summary>
internal sealed class RecordingConsumer(string name, ConcurrentQueue<OutboxDelivery> deliveries) : IOutboxConsumer
{
    private static long s_ticks;
    private static long s_batches;

    public string Name => name;

    public ConcurrentQueue<OutboxDelivery> Deliveries => deliveries;

    public Func<IReadOnlyList<OutboxEvent>, CancellationToken, Task>? Before { get; set; }

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        if (Before is { } before) await before(events, ct);
        var batch = Interlocked.Increment(ref s_batches);
        foreach (var e in events) deliveries.Enqueue(new OutboxDelivery(name, batch, Interlocked.Increment(ref s_ticks), e));
    }
}
