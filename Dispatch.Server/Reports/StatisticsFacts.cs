using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Reports;
using Dispatch.Core.Zones;
using Dispatch.Server.Persistence;
using Npgsql;

namespace Dispatch.Server.Reports;

/// <summary>
/// Reads what <see cref="StatisticsCalculator"/> needs for [from, to): orders created in the look-back window that finished
/// in the range or were still open (for busy time), the offers made in the range, and each courier's minutes with a position
/// (track_points, one row per courier and minute, placed in a zone by its first fix).
/// </summary>
internal sealed class StatisticsFacts(NpgsqlDataSource data, ZoneMap zones)
{
    public sealed record Facts(List<OrderFact> Orders, List<OfferFact> Offers, List<OnlineMinute> Minutes);

    private const string OrdersSql = """
        select o.zone, o.status, o.created_at, o.promised_at, o.paid_at, o.ready_at, acc.at, pick.at,
               case when o.status = 9 then o.delivered_at else fin.at end, o.eta_at_accept, o.requires_cold_chain, o.courier_id, o.courier_fee_cents
        from orders o
        left join lateral (select max(e.at) as at from order_events e where e.order_id = o.id and e.status = 4) acc on true
        left join lateral (select max(e.at) as at from order_events e where e.order_id = o.id and e.status = 6) pick on true
        left join lateral (select max(e.at) as at from order_events e where e.order_id = o.id and e.status in (9, 10, 11)) fin on true
        where o.created_at >= $3 and o.created_at < $2 and (o.status < 9 or fin.at >= $1 or o.delivered_at >= $1)
        """;

    private const string OffersSql = """
        select o.zone, f.created_at, f.status = 1
        from orders o join offers f on f.order_id = o.id
        where o.created_at >= $3 and o.created_at < $2 and f.created_at >= $1 and f.created_at < $2 and f.status in (1, 2, 3)
        """;

    private const string MinutesSql = """
        select distinct on (courier_id, date_trunc('minute', at)) courier_id, date_trunc('minute', at),
               st_y(position::geometry), st_x(position::geometry)
        from track_points where at >= $1 and at < $2
        order by courier_id, date_trunc('minute', at), at
        """;

    public async Task<Facts> LoadAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan lookback, CancellationToken ct)
    {
        await using var connection = await data.OpenConnectionAsync(ct);
        var created = from - lookback;
        var orders = new List<OrderFact>();
        await using (var command = Command(connection, OrdersSql, from, to, created))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                orders.Add(new OrderFact(r.GetString(0), (OrderStatus)r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
                    Time(r, 4), Time(r, 5), Time(r, 6), Time(r, 7), Time(r, 8), Time(r, 9), r.GetBoolean(10),
                    r.IsDBNull(11) ? null : r.GetGuid(11), r.IsDBNull(12) ? null : r.GetInt32(12)));
            }
        }
        var offers = new List<OfferFact>();
        await using (var command = Command(connection, OffersSql, from, to, created))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) offers.Add(new OfferFact(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetBoolean(2)));
        }
        var minutes = new List<OnlineMinute>();
        await using (var command = Command(connection, MinutesSql, from, to))
        await using (var r = await command.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                // A minute spent outside every zone counts in none.
                if (zones.Find(new LatLon(r.GetDouble(2), r.GetDouble(3))) is { } zone)
                    minutes.Add(new OnlineMinute(r.GetGuid(0), zone.Name, r.GetFieldValue<DateTimeOffset>(1)));
            }
        }
        return new Facts(orders, offers, minutes);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params DateTimeOffset[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
