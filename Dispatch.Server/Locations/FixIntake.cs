using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Locations;
using Dispatch.Core.Zones;
using Dispatch.Server.Fleet;

namespace Dispatch.Server.Locations;

/// <summary>
/// Front of the hot path: validates a courier's batch against their last accepted fix (in order, in memory),
/// then queues the accepted ones for the flusher. Nothing is written here; a rejected fix changes nothing.
/// </summary>
internal sealed partial class FixIntake(
    LocationChannels channels,
    ZoneMap zones,
    TimeProvider clock,
    DispatchMetrics metrics,
    Common.RefusalLog refusals,
    ILogger<FixIntake> logger)
{
    public FixBatchResult Submit(OnlineCourier session, LocationFix[] fixes)
    {
        var now = clock.GetUtcNow();
        var accepted = new List<AcceptedFix>(fixes.Length);
        var extras = new List<(float Accuracy, float Speed, float Heading)>(fixes.Length);
        List<FixRejectionInfo>? rejected = null;
        lock (session.Sync)
        {
            for (var i = 0; i < fixes.Length; i++)
            {
                var fix = fixes[i];
                if (fix is null)
                {
                    (rejected ??= []).Add(new FixRejectionInfo(i, FixRejection.NotANumber, "Fix is empty."));
                    continue;
                }
                var verdict = FixValidator.Validate(fix, session.LastFix, now, FixLimits.Default);
                var position = new LatLon(fix.Lat, fix.Lon);
                Zone? zone = null;
                if (verdict.IsAccepted)
                {
                    zone = zones.Find(position);
                    if (zone is null) verdict = new FixVerdict(FixRejection.OutsideZone, $"Position {position} is outside every zone served here.");
                }
                if (!verdict.IsAccepted)
                {
                    (rejected ??= []).Add(new FixRejectionInfo(i, verdict.Rejection, verdict.Message!));
                    metrics.FixRejected(verdict.Rejection);
                    continue;
                }
                var acceptedFix = new AcceptedFix(fix.Time.ToUniversalTime(), position);
                session.LastFix = acceptedFix;
                if (session.Zone is not null && session.Zone != zone!.Name) session.PreviousZone ??= session.Zone;
                session.Zone = zone!.Name;
                accepted.Add(acceptedFix);
                extras.Add(((float)fix.Accuracy, Finite(fix.Speed), Finite(fix.Heading)));
            }
        }
        // At most one line per courier per interval: a device sending nonsense in a loop must not fill the log.
        if (rejected is not null && refusals.ShouldLog("fix-rejected", session.CourierId.ToString(), out var suppressed))
            LogRejected(logger, session.CourierId, rejected.Count, rejected[0].Code, rejected[0].Reason, suppressed);
        if (accepted.Count > 0)
        {
            metrics.FixesAccepted(accepted.Count);
            var batch = new FixBatch(
                session,
                [.. accepted],
                [.. extras.Select(e => e.Accuracy)],
                [.. extras.Select(e => e.Speed)],
                [.. extras.Select(e => e.Heading)]);
            channels.Fixes.Add(batch);
        }
        return new FixBatchResult(accepted.Count, rejected?.ToArray() ?? []);
    }

    private static float Finite(double value) => double.IsFinite(value) ? (float)value : float.NaN;

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId}: {Count} fix(es) rejected, first {Code}: {Reason} ({Suppressed} earlier rejections not logged)")]
    private static partial void LogRejected(ILogger logger, Guid courierId, int count, FixRejection code, string reason, long suppressed);
}
