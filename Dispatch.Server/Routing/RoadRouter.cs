using System.Globalization;
using System.Text.RegularExpressions;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Routing;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Dispatch.Server.Routing;

/// <summary>
/// Shortest paths on a zone's road network (schema roads_{zone}, imported by infra/import-osm.sh) with pgRouting.
/// Each query cuts the graph to a box around its two points (GiST on the_geom), widening once if the box holds no path;
/// the whole graph is never routed over.
/// </summary>
internal sealed partial class RoadRouter(NpgsqlDataSource db, ZoneMap zones, TravelTimes travelTimes, Microsoft.Extensions.Options.IOptions<DispatchOptions> options)
{
    /// <summary>A point further than this from any road is not on the network (in the sea, inside a park).</summary>
    public const double MaxSnapMetres = 250;

    /// <summary>Margin around the two points for the first search box, metres; then ×4.</summary>
    private static readonly double[] BoxMarginsMetres = [800, 3_200];

    /// <summary>Nearest roads a point's snap looks at for a vertex in the vehicle's strongly connected network.</summary>
    private const int SnapEdges = 8;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,30}$")]
    private static partial Regex ZoneName();

    public static string Schema(string zone) => $"roads_{zone}";

    public async Task<Outcome<RoutePlan>> RouteAsync(string zoneName, LatLon from, LatLon to, Vehicle vehicle, CancellationToken ct)
    {
        var zone = zones.ByName(zoneName);
        if (zone is null || !ZoneName().IsMatch(zoneName)) return Failure.NotFound($"Zone '{zoneName}' is not served here.");
        if (!zone.Contains(from)) return Failure.BadRequest("from", $"{from} is outside zone {zoneName}.");
        if (!zone.Contains(to)) return Failure.BadRequest("to", $"{to} is outside zone {zoneName}.");
        var schema = Schema(zoneName);
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await HasNetworkAsync(connection, schema, ct))
            return Failure.Conflict($"Zone {zoneName} has no road network yet; import one with infra/import-osm.sh {zoneName} <extract>.");

        var profile = Profile(vehicle);
        var graph = await GraphAsync(zoneName, ct);
        var start = await SnapAsync(connection, schema, from, profile, graph, ct);
        if (start.Metres > MaxSnapMetres) return Failure.BadRequest("from", $"{from} is {start.Metres:0} m from the nearest road (limit {MaxSnapMetres:0} m); pick a point on a street.");
        var end = await SnapAsync(connection, schema, to, profile, graph, ct);
        if (end.Metres > MaxSnapMetres) return Failure.BadRequest("to", $"{to} is {end.Metres:0} m from the nearest road (limit {MaxSnapMetres:0} m); pick a point on a street.");

        var straight = GeoMath.DistanceMetres(from, to);
        if (start.Vertex == end.Vertex)
        {
            var point = $"{{\"type\":\"LineString\",\"coordinates\":[[{F(start.Position.Lon)},{F(start.Position.Lat)}],[{F(end.Position.Lon)},{F(end.Position.Lat)}]]}}";
            return new RoutePlan(zoneName, vehicle, 0, 0, point, start.Position, end.Position, straight);
        }
        foreach (var margin in BoxMarginsMetres)
        {
            var path = await ShortestPathAsync(connection, schema, start, end, margin, profile, ct);
            if (path is { } p) return new RoutePlan(zoneName, vehicle, p.Metres, p.Seconds, p.GeoJson, start.Position, end.Position, straight);
        }
        return Failure.Conflict($"No road connects {from} and {to} for {vehicle} in zone {zoneName}.");
    }

    /// <summary>One leg of a multi-stop route: metres, seconds for the vehicle, and the line (X = lon).</summary>
    public sealed record Leg(double Metres, double Seconds, LineString Line);

    /// <summary>Routes through the stops in order (courier → pickup → drop-off); null with the reason when a leg cannot be routed.</summary>
    public async Task<Outcome<List<Leg>>> PlanAsync(string zoneName, IReadOnlyList<LatLon> stops, Vehicle vehicle, CancellationToken ct)
    {
        if (zones.ByName(zoneName) is null || !ZoneName().IsMatch(zoneName)) return Failure.NotFound($"Zone '{zoneName}' is not served here.");
        var schema = Schema(zoneName);
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await HasNetworkAsync(connection, schema, ct)) return Failure.Conflict($"Zone {zoneName} has no road network yet.");
        var profile = Profile(vehicle);
        var snaps = new List<Snap>(stops.Count);
        var graph = await GraphAsync(zoneName, ct);
        foreach (var stop in stops) snaps.Add(await SnapAsync(connection, schema, stop, profile, graph, ct));
        var legs = new List<Leg>(stops.Count - 1);
        for (var i = 1; i < snaps.Count; i++)
        {
            var (a, b) = (snaps[i - 1], snaps[i]);
            if (a.Vertex == b.Vertex)
            {
                legs.Add(new Leg(0, 0, Geography.CreateLineString([new Coordinate(a.Position.Lon, a.Position.Lat), new Coordinate(b.Position.Lon, b.Position.Lat)])));
                continue;
            }
            Path? path = null;
            foreach (var margin in BoxMarginsMetres)
            {
                path = await ShortestPathAsync(connection, schema, a, b, margin, profile, ct);
                if (path is not null) break;
            }
            if (path is not { } p) return Failure.Conflict($"No road connects {stops[i - 1]} and {stops[i]} in zone {zoneName}.");
            legs.Add(new Leg(p.Metres, p.Seconds, p.Line));
        }
        return legs;
    }

    private static readonly GeometryFactory Geography = new(new PrecisionModel(), 4326);

    private static async Task<bool> HasNetworkAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        // Networks imported before vehicle profiles lack the road class column; they count as missing until re-imported.
        await using var command = new NpgsqlCommand(
            "select exists (select 1 from information_schema.columns where table_schema = $1 and table_name = 'ways' and column_name = 'highway')", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private readonly record struct Snap(long Vertex, LatLon Position, double Metres);

    /// <summary>
    /// The nearest vertex, among the ends of the <see cref="SnapEdges"/> nearest roads of the main network the vehicle may
    /// use (KNN on their GiST index), in the vehicle's largest strongly connected piece of the network as dispatch's
    /// <see cref="RoadGraph"/> of the zone has it (<see cref="RoadGraph.IsStronglyConnected"/>: one-way streets and
    /// forbidden road classes counted, priced as <see cref="EdgeSql"/> prices them). The nearest road's nearer end alone
    /// (the rule before) was, for about 6 % of the roads a scooter may use in Monaco, the end of a one-way street leading
    /// nowhere the vehicle may go, so no route existed and the ETA stayed a straight line. When no vertex near the point is
    /// in that piece, or the zone has no graph loaded, the nearest one (a route may then fail, with its reason).
    /// </summary>
    private static async Task<Snap> SnapAsync(NpgsqlConnection connection, string schema, LatLon p, RoadProfile profile, RoadGraph? graph, CancellationToken ct)
    {
        var sql = $"""
            with pt as (select st_setsrid(st_makepoint($1, $2), 4326) as g),
                 edge as (select w.source, w.target from {schema}.ways w, pt
                          where w.routable and {Allowed(profile)} order by w.the_geom <-> pt.g limit {SnapEdges})
            select v.id, st_y(v.the_geom), st_x(v.the_geom), st_distance(v.the_geom::geography, pt.g::geography)
            from {schema}.ways_vertices_pgr v, pt
            where v.id in (select source from edge union select target from edge)
            order by v.the_geom <-> pt.g
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = p.Lon });
        command.Parameters.Add(new NpgsqlParameter { Value = p.Lat });
        await using var reader = await command.ExecuteReaderAsync(ct);
        Snap? nearest = null;
        while (await reader.ReadAsync(ct))
        {
            var snap = new Snap(reader.GetInt64(0), new LatLon(reader.GetDouble(1), reader.GetDouble(2)), reader.GetDouble(3));
            if (graph is null || graph.IsStronglyConnected(snap.Vertex, profile.Vehicle)) return snap;
            nearest ??= snap;
        }
        return nearest ?? new Snap(-1, p, double.PositiveInfinity);
    }

    /// <summary>The zone's road graph, loaded now when the network is there but the graph is not yet (imported since the last load).</summary>
    private async Task<RoadGraph?> GraphAsync(string zone, CancellationToken ct) =>
        travelTimes.Graph(zone) ?? (await travelTimes.LoadAsync(zone, ct) > 0 ? travelTimes.Graph(zone) : null);

    private readonly record struct Path(double Metres, double Seconds, string GeoJson, LineString Line);

    private static async Task<Path?> ShortestPathAsync(
        NpgsqlConnection connection, string schema, Snap from, Snap to, double marginMetres, RoadProfile profile, CancellationToken ct)
    {
        var minLat = Math.Min(from.Position.Lat, to.Position.Lat);
        var maxLat = Math.Max(from.Position.Lat, to.Position.Lat);
        var minLon = Math.Min(from.Position.Lon, to.Position.Lon);
        var maxLon = Math.Max(from.Position.Lon, to.Position.Lon);
        var dLat = marginMetres / 111_320.0;
        var dLon = marginMetres / (111_320.0 * Math.Cos(minLat * Math.PI / 180));
        // The edge query is text for pgr_dijkstra: only validated numbers and the checked schema name go into it.
        var edges = EdgeSql(schema, profile, $"w.the_geom && st_makeenvelope({F(minLon - dLon)}, {F(minLat - dLat)}, {F(maxLon + dLon)}, {F(maxLat + dLat)}, 4326)");
        var sql = $"""
            with path as (select * from pgr_dijkstra($1, $2::bigint, $3::bigint, directed := true)),
                 legs as (
                    select p.seq, w.length_m, p.cost,
                           case when p.node = w.source then w.the_geom else st_reverse(w.the_geom) end as geom
                    from path p join {schema}.ways w on w.gid = p.edge)
            select sum(length_m), sum(cost), st_asgeojson(st_makeline(geom order by seq), 6), st_makeline(geom order by seq) from legs
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = edges });
        command.Parameters.Add(new NpgsqlParameter { Value = from.Vertex });
        command.Parameters.Add(new NpgsqlParameter { Value = to.Vertex });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(0)) return null;
        return new Path(reader.GetDouble(0), reader.GetDouble(1), reader.GetString(2), reader.GetFieldValue<LineString>(3));
    }

    /// <summary>The vehicle profile routes are priced with (the configured courier factor applied).</summary>
    public RoadProfile Profile(Vehicle vehicle) => RoadProfile.For(vehicle, options.Value.CourierSpeedFactor);

    /// <summary>
    /// The pgRouting edge query for a vehicle: cost and reverse cost in seconds from the profile's speed per road class,
    /// -1 (no way) on forbidden classes and against one-way streets for vehicles that follow them. Only validated numbers,
    /// the profile's own class names and the checked schema name go into the text.
    /// </summary>
    public static string EdgeSql(string schema, RoadProfile profile, string? where = null)
    {
        var seconds = new System.Text.StringBuilder("case w.highway");
        foreach (var (highway, speed) in profile.Speeds) seconds.Append(CultureInfo.InvariantCulture, $" when '{highway}' then w.length_m / {F(speed)}");
        seconds.Append(CultureInfo.InvariantCulture, $" else w.length_m / {F(profile.DefaultMetresPerSecond)} end");
        var forward = profile.FollowsOneWay ? $"case when w.cost < 0 or not {Allowed(profile)} then -1 else {seconds} end" : $"case when not {Allowed(profile)} then -1 else {seconds} end";
        var backward = profile.FollowsOneWay ? $"case when w.reverse_cost < 0 or not {Allowed(profile)} then -1 else {seconds} end" : forward;
        return $"select w.gid as id, w.source, w.target, {forward} as cost, {backward} as reverse_cost from {schema}.ways w"
            + (where is null ? "" : $" where {where}");
    }

    /// <summary>SQL condition: the edge's road class is open to the profile's vehicle.</summary>
    private static string Allowed(RoadProfile profile) => profile.Forbidden.Count == 0
        ? "true"
        : $"coalesce(w.highway, '') not in ({string.Join(", ", profile.Forbidden.Select(h => $"'{h}'"))})";

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
