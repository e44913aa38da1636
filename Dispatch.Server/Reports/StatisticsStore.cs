using Dispatch.Core.Reports;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Reports;

/// <summary>The roll-up table zone_stats: one row per zone and period (hours = 24 for a day), written by upsert.</summary>
internal sealed class StatisticsStore(NpgsqlDataSource data)
{
    private const string Columns = """
        zone, start, hours, delivered, cancelled, failed, on_time, click_to_door_mean_s, click_to_door_p90_s, ready_to_pickup_mean_s,
        offers, offers_accepted, online_minutes, busy_minutes, earnings_cents, earnings_per_online_hour_cents, earnings_per_hour_spread,
        couriers, cold_chain_delivered, cold_chain_excursions, eta_error_mean_s, eta_samples
        """;

    private const string UpsertSql = $"""
        insert into zone_stats ({Columns}, computed_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
        on conflict (zone, hours, start) do update set
          delivered = excluded.delivered, cancelled = excluded.cancelled, failed = excluded.failed, on_time = excluded.on_time,
          click_to_door_mean_s = excluded.click_to_door_mean_s, click_to_door_p90_s = excluded.click_to_door_p90_s,
          ready_to_pickup_mean_s = excluded.ready_to_pickup_mean_s, offers = excluded.offers, offers_accepted = excluded.offers_accepted,
          online_minutes = excluded.online_minutes, busy_minutes = excluded.busy_minutes, earnings_cents = excluded.earnings_cents,
          earnings_per_online_hour_cents = excluded.earnings_per_online_hour_cents, earnings_per_hour_spread = excluded.earnings_per_hour_spread,
          couriers = excluded.couriers, cold_chain_delivered = excluded.cold_chain_delivered, cold_chain_excursions = excluded.cold_chain_excursions,
          eta_error_mean_s = excluded.eta_error_mean_s, eta_samples = excluded.eta_samples, computed_at = excluded.computed_at
        """;

    private const string ReadSql = $"""
        select {Columns} from zone_stats
        where hours = $1 and start >= $2 and start < $3 and zone = any($4)
        order by start, zone
        """;

    /// <summary>Writes the rows in one transaction; a row already there for the zone and period is replaced.</summary>
    public async Task UpsertAsync(IReadOnlyList<ZoneStatistics> rows, DateTimeOffset computedAt, CancellationToken ct)
    {
        await using var connection = await data.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var s in rows)
        {
            var command = new NpgsqlBatchCommand(UpsertSql);
            object?[] values =
            [
                s.Zone, s.Start, (short)s.Hours, s.Delivered, s.Cancelled, s.Failed, s.OnTime, s.ClickToDoorMeanSeconds, s.ClickToDoorP90Seconds,
                s.ReadyToPickupMeanSeconds, s.Offers, s.OffersAccepted, s.OnlineMinutes, s.BusyMinutes, s.EarningsCents, s.EarningsPerOnlineHourCents,
                s.EarningsPerHourSpread, s.Couriers, s.ColdChainDelivered, s.ColdChainExcursions, s.EtaErrorMeanSeconds, s.EtaSamples, computedAt,
            ];
            foreach (var value in values)
            {
                command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double } : new NpgsqlParameter { Value = value });
            }
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The stored periods of <paramref name="hours"/> hours starting in [from, to) for the zones, by start then zone.</summary>
    public async Task<List<ZoneStatistics>> ReadAsync(IReadOnlyCollection<string> zones, DateTimeOffset from, DateTimeOffset to, int hours, CancellationToken ct)
    {
        await using var command = data.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter { Value = (short)hours });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = zones.ToArray() });
        await using var r = await command.ExecuteReaderAsync(ct);
        var rows = new List<ZoneStatistics>();
        while (await r.ReadAsync(ct))
        {
            rows.Add(new ZoneStatistics(
                r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt16(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6),
                Double(r, 7), Double(r, 8), Double(r, 9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13), r.GetInt64(14),
                Double(r, 15), Double(r, 16), r.GetInt32(17), r.GetInt32(18), r.GetInt32(19), Double(r, 20), r.GetInt32(21)));
        }
        return rows;
    }

    private static double? Double(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
