using Microsoft.Extensions.Options;

namespace Dispatch.Server.Locations;

/// <summary>
/// The queues of the hot path, each bounded by <see cref="DispatchOptions.LocationQueueBytes"/>: validated fixes to the
/// flusher, and flushed fixes to the track writer. Past the bound the oldest position updates are shed and counted, so
/// memory stays bounded whatever the input rate (hub calls never wait on a full queue).
/// </summary>
internal sealed partial class LocationChannels
{
    public const string FixesQueue = "fixes", TrackPointsQueue = "track-points";

    /// <summary>At most one shed line per queue this often; the fixes shed in between are summed into the next line.</summary>
    public static readonly TimeSpan ShedLogInterval = TimeSpan.FromSeconds(5);

    private readonly DispatchMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<LocationChannels> _logger;
    private readonly Lock _logSync = new();
    private readonly Dictionary<string, (long LastLogged, long Unlogged)> _shedLog = new(StringComparer.Ordinal);

    public LocationChannels(IOptions<DispatchOptions> options, DispatchMetrics metrics, TimeProvider clock, ILogger<LocationChannels> logger)
    {
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        var bound = options.Value.LocationQueueBytes;
        Fixes = new FixBuffer(bound, (_, fixes) => Shed(FixesQueue, fixes));
        TrackPoints = new FixBuffer(bound, (_, fixes) =>
        {
            metrics.TrackPointsDropped(fixes);
            Shed(TrackPointsQueue, fixes);
        });
        metrics.ObserveLocationQueues(() => Fixes.Bytes + TrackPoints.Bytes);
    }

    /// <summary>Full means the flusher is behind: the oldest fixes are shed (the live position is the newest anyway).</summary>
    public FixBuffer Fixes { get; }

    /// <summary>Track points are write-behind history: when Postgres falls far behind, the oldest are shed.</summary>
    public FixBuffer TrackPoints { get; }

    private void Shed(string queue, int fixes)
    {
        _metrics.FixesShed(queue, fixes);
        var now = _clock.GetTimestamp();
        long total;
        lock (_logSync)
        {
            _shedLog.TryGetValue(queue, out var entry);
            total = entry.Unlogged + fixes;
            if (entry.LastLogged != 0 && _clock.GetElapsedTime(entry.LastLogged, now) < ShedLogInterval)
            {
                _shedLog[queue] = (entry.LastLogged, total);
                return;
            }
            _shedLog[queue] = (now, 0);
        }
        LogShed(_logger, queue, total, queue == FixesQueue ? Fixes.MaxBytes : TrackPoints.MaxBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Location queue {Queue} over its bound of {MaxBytes} bytes: shed the oldest {Fixes} fix(es) since the last such line")]
    private static partial void LogShed(ILogger logger, string queue, long fixes, long maxBytes);
}
