using System.Collections.Concurrent;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Core.Zones;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Routing;

/// <summary>
/// Each zone's ETA pad, from the measured error of recent deliveries (delivered_at minus the raw ETA given at accept),
/// refreshed every minute. Customers see raw ETA + pad; the stored ETAs stay raw so the error keeps being measured honestly.
/// </summary>
internal sealed partial class EtaPads(NpgsqlDataSource db, ZoneMap zones, TimeProvider clock, IOptions<DispatchOptions> options, Common.ResilientLoop loops, ILogger<EtaPads> logger)
    : BackgroundService
{
    public sealed record Pad(string Zone, int Seconds, int Samples, double LatenessWeight);

    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Pad> _pads = new(StringComparer.Ordinal);

    /// <summary>Seconds to add to a raw ETA shown to a customer in this zone (0 until enough deliveries are measured).</summary>
    public int SecondsFor(string? zone) => zone is not null && _pads.TryGetValue(zone, out var pad) ? pad.Seconds : 0;

    public IReadOnlyList<Pad> All => [.. zones.All.Select(z => _pads.GetValueOrDefault(z.Name) ?? new Pad(z.Name, 0, 0, options.Value.EtaLatenessWeight))];

    /// <summary>Recomputes every zone's pad now.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var o = options.Value;
        const string sql = """
            select zone, extract(epoch from delivered_at - eta_at_accept)::float8
            from (select zone, delivered_at, eta_at_accept, row_number() over (partition by zone order by delivered_at desc) as n
                  from orders where status = $1 and delivered_at >= $2 and eta_at_accept is not null) recent
            where n <= $3
            """;
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = (int)OrderStatus.Delivered });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow().AddDays(-o.EtaPadWindowDays) });
        command.Parameters.Add(new NpgsqlParameter { Value = o.EtaPadMaxSamples });
        var errors = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var zone = reader.GetString(0);
                if (!errors.TryGetValue(zone, out var list)) errors[zone] = list = [];
                list.Add(reader.GetDouble(1));
            }
        }
        foreach (var zone in zones.All)
        {
            var samples = errors.GetValueOrDefault(zone.Name) ?? [];
            var seconds = EtaPadding.PadSeconds(samples, o.EtaLatenessWeight, o.EtaPadMinSamples, o.EtaPadMaxSeconds);
            _pads[zone.Name] = new Pad(zone.Name, seconds, samples.Count, o.EtaLatenessWeight);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery);
        var first = true;
        // At once on start, then every minute.
        ValueTask<bool> Next(CancellationToken ct)
        {
            if (!first) return timer.WaitForNextTickAsync(ct);
            first = false;
            return ValueTask.FromResult(true);
        }
        await loops.RunAsync("eta-pads", "recomputing the zones' ETA pads", Next, RefreshOnceAsync, stoppingToken);
    }

    private async ValueTask RefreshOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RefreshAsync(stoppingToken);
        }
        catch (NpgsqlException ex)
        {
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing ETA pads failed; the previous pads stay until the next try")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
