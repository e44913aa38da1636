using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Locations;

/// <summary>
/// Write-behind history of every accepted fix: gathers flushed batches for up to a second and writes them
/// to track_points with one binary COPY. Never a row per fix.
/// </summary>
internal sealed partial class TrackPointWriterService(
    LocationChannels channels,
    NpgsqlDataSource dataSource,
    DispatchMetrics metrics,
    Common.ResilientLoop loops,
    ILogger<TrackPointWriterService> logger) : BackgroundService
{
    private const int MaxRowsPerCopy = 50_000;
    private static readonly GeometryFactory Geography = new(new PrecisionModel(), 4326);

    private readonly List<FixBatch> _pending = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        await loops.RunAsync("track-point-writer", "copying track points to Postgres", timer.WaitForNextTickAsync, CopyQueuedAsync, stoppingToken);
    }

    /// <summary>Drains everything queued, one COPY per 50k rows, before waiting for the next second.</summary>
    private async ValueTask CopyQueuedAsync(CancellationToken stoppingToken)
    {
        while (await CopyNextAsync(channels.TrackPoints, _pending, stoppingToken))
        {
        }
    }

    /// <summary>Copies up to <see cref="MaxRowsPerCopy"/> queued rows; false when nothing was queued.</summary>
    private async Task<bool> CopyNextAsync(FixBuffer reader, List<FixBatch> pending, CancellationToken stoppingToken)
    {
        var rows = 0;
        while (rows < MaxRowsPerCopy && reader.TryTake(out var batch))
        {
            pending.Add(batch);
            rows += batch.Fixes.Length;
        }
        if (rows == 0) return false;
        try
        {
            await CopyAsync(pending, stoppingToken);
            metrics.TrackPointsWritten(rows);
        }
        catch (NpgsqlException ex)
        {
            metrics.TrackPointsDropped(rows);
            LogCopyFailed(logger, rows, ex);
        }
        finally
        {
            pending.Clear();
        }
        return true;
    }

    private async Task CopyAsync(List<FixBatch> batches, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY track_points (courier_id, at, position, accuracy, speed, heading) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var batch in batches)
        {
            for (var i = 0; i < batch.Fixes.Length; i++)
            {
                var fix = batch.Fixes[i];
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(batch.Session.CourierId, NpgsqlDbType.Uuid, ct);
                await writer.WriteAsync(fix.Time, NpgsqlDbType.TimestampTz, ct);
                await writer.WriteAsync(Geography.CreatePoint(new Coordinate(fix.Position.Lon, fix.Position.Lat)), NpgsqlDbType.Geography, ct);
                await writer.WriteAsync(batch.Accuracy[i], NpgsqlDbType.Real, ct);
                await WriteNullableAsync(writer, batch.Speed[i], ct);
                await WriteNullableAsync(writer, batch.Heading[i], ct);
            }
        }
        await writer.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, float value, CancellationToken ct)
    {
        if (float.IsNaN(value)) await writer.WriteNullAsync(ct);
        else await writer.WriteAsync(value, NpgsqlDbType.Real, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "COPY of {Rows} track point(s) to Postgres failed; they are dropped (live positions are unaffected)")]
    private static partial void LogCopyFailed(ILogger logger, int rows, Exception ex);
}
