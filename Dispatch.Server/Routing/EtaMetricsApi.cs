using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Npgsql;

namespace Dispatch.Server.Routing;

/// <summary>
/// GET /api/metrics/eta?hours=24 — how right our promises were: for delivered orders, per zone and hour of delivery,
/// the mean absolute error of the drop-off ETA given at accept and at pickup, and the share delivered later than promised.
/// GET /api/metrics/eta/padding — the pad per zone that customers' ETAs carry (see <see cref="EtaPads"/>).
/// </summary>
internal static class EtaMetricsApi
{
    public sealed record EtaAccuracy(string Zone, DateTimeOffset Hour, long Delivered, double? MaeAtAcceptSeconds, double? MaeAtPickupSeconds,
        double? LateShareAtAccept, double? LateShareAtPickup);

    public static IEndpointRouteBuilder MapEtaMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics/eta", async (int? hours, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct) =>
        {
            var window = Math.Clamp(hours ?? 24, 1, 24 * 90);
            const string sql = """
                select zone, date_trunc('hour', delivered_at) as hour, count(*),
                       avg(abs(extract(epoch from delivered_at - eta_at_accept)))::float8,
                       avg(abs(extract(epoch from delivered_at - eta_at_pickup)))::float8,
                       avg((delivered_at > eta_at_accept)::int)::float8,
                       avg((delivered_at > eta_at_pickup)::int)::float8
                from orders
                where status = $1 and delivered_at >= $2
                group by 1, 2
                order by 1, 2
                """;
            await using var command = db.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = (int)OrderStatus.Delivered });
            command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow().AddHours(-window) });
            var rows = new List<EtaAccuracy>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new EtaAccuracy(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2),
                    Nullable(reader, 3), Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6)));
            }
            return Results.Ok(rows);
        }).RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin));

        // The pad each zone's customers currently get on top of the raw ETA, and how many deliveries it was measured on.
        app.MapGet("/api/metrics/eta/padding", (EtaPads pads) => Results.Ok(pads.All))
            .RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin));
        return app;
    }

    private static double? Nullable(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : Math.Round(reader.GetDouble(i), 3);
}
