namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// <see cref="TrackingFanOutServer"/> with watch marks of 60 s, so a node keeps its cached "nobody else watches this order"
/// for 20 s: a watcher joining on another node is only heard of through the watch-added channel, not by the cache running out.
/// </summary>
public sealed class LongWatchFanOutServer : TrackingFanOutServer
{
    public override int WatchSeconds => 60;
}
