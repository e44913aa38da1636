using System.Collections.Concurrent;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The outbox events whose push this node already sent, the last <paramref name="capacity"/> of them: a batch handed over
/// again (another consumer failed, the relay's commit was cut) does not push them twice. Another node that claims the batch
/// after a crash does not know them and pushes again; the runner takes a repeated push as the same news.
/// </summary>
internal sealed class PushedEvents(int capacity)
{
    private readonly ConcurrentDictionary<Guid, byte> _ids = new();
    private readonly ConcurrentQueue<Guid> _order = new();

    public bool Contains(Guid eventId) => _ids.ContainsKey(eventId);

    /// <summary>The push of <paramref name="eventId"/>, remembered once it went out.</summary>
    public async Task Remember(Guid eventId, Task push)
    {
        await push;
        if (!_ids.TryAdd(eventId, 0)) return;
        _order.Enqueue(eventId);
        while (_order.Count > capacity && _order.TryDequeue(out var oldest)) _ids.TryRemove(oldest, out _);
    }
}
