using System.Threading.Channels;

namespace Dispatch.Server.Locations;

/// <summary>The bounded queues of the hot path: validated fixes to the flusher, and flushed fixes to the track writer.</summary>
public sealed class LocationChannels(DispatchMetrics metrics)
{
    /// <summary>Full means the flusher is behind: hub calls wait (back-pressure on the couriers), nothing is dropped.</summary>
    public Channel<FixBatch> Fixes { get; } = Channel.CreateBounded<FixBatch>(new BoundedChannelOptions(200_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Track points are write-behind history: when Postgres falls far behind, the oldest batches are dropped and counted.</summary>
    public Channel<FixBatch> TrackPoints { get; } = Channel.CreateBounded<FixBatch>(
        new BoundedChannelOptions(200_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
        dropped => metrics.TrackPointsDropped(dropped.Fixes.Length));
}
