using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// A batch round's first ring ranked while its waiting orders are still being read: once the zone's grid is known (its
/// couriers, those sitting the round out left out), every <see cref="Chunk"/> orders read are searched and ranked on the
/// thread pool, so the ranking runs on the core the read leaves idle and little of it is left when the read ends.
/// </summary>
internal sealed class RankWhileReading(Task<NearbyCouriers> grid, Func<NearbyCouriers, DispatchRequest, RankedOrder> rank, int capacity)
{
    /// <summary>Orders per task: large enough that a task is worth its hand-over, small enough that the last one left is short.</summary>
    public const int Chunk = 100;

    private readonly DispatchRequest[] _requests = new DispatchRequest[capacity];
    private readonly RankedOrder[] _ranked = new RankedOrder[capacity];
    private readonly List<Task> _chunks = [];
    private int _count;
    private int _sent;
    private long _rankTicks;

    /// <summary>Summed time of the chunks ranked on the thread pool (one thread each), for the round's timings.</summary>
    public double ChunkMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _rankTicks)).TotalMilliseconds;

    /// <summary>An order read (on the reader's thread): its request now, its ranking with the next chunk once the grid is known.</summary>
    public void Add(WaitingOrder order)
    {
        _requests[_count++] = DispatchRequests.For(order.Order, order.Offers);
        if (!grid.IsCompletedSuccessfully) return;
        while (_count - _sent >= Chunk)
        {
            var (from, to) = (_sent, _sent + Chunk);
            _sent = to;
            _chunks.Add(Task.Run(() => RankRange(grid.Result, from, to)));
        }
    }

    /// <summary>After the read: the orders not yet sent ranked on every core, then every order's first ring, in read order.</summary>
    public async Task<(DispatchRequest[] Requests, RankedOrder[] Ranked)> FinishAsync()
    {
        var index = await grid;
        var from = _sent;
        BatchMatcher.For(_count - from, k => _ranked[from + k] = rank(index, _requests[from + k]));
        await Task.WhenAll(_chunks);
        return (_requests[.._count], _ranked[.._count]);
    }

    private void RankRange(NearbyCouriers index, int from, int to)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = from; i < to; i++) _ranked[i] = rank(index, _requests[i]);
        Interlocked.Add(ref _rankTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
    }
}
