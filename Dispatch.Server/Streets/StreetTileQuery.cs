using System.Text;
using Dispatch.Core.Streets;
using Npgsql;

namespace Dispatch.Server.Streets;

/// <summary>
/// One vector tile of streets from the road networks in PostGIS (schemas roads_{zone} from infra/import-osm.sh): layer
/// "streets", one feature per road with its name and class, simplified for the zoom and clipped to the tile by
/// ST_AsMVTGeom; the classes drawn depend on the zoom (<see cref="StreetTileRules.ClassesAt"/>).
/// </summary>
internal static class StreetTileQuery
{
    public const string Layer = "streets";

    public static async Task<byte[]> RunAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, StreetTile tile, CancellationToken ct)
    {
        var classes = StreetTileRules.ClassesAt(tile.Z);
        if (schemas.Count == 0 || classes.Count == 0) return [];
        var rows = new StringBuilder();
        foreach (var schema in schemas)
        {
            if (rows.Length > 0) rows.Append(" union all ");
            // Schema names come from ZoneMap names checked against ^[a-z][a-z0-9_]{0,30}$, never from the request.
            rows.Append("select w.name, w.highway, w.the_geom from ").Append(schema).Append(".ways w, box where w.the_geom && box.env4326");
        }
        var sql = $"""
            with box as (select ST_TileEnvelope($1, $2, $3) as env, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => $8), 4326) as env4326),
            roads as ({rows}),
            classed as (
              select name, case when highway = any($4) then 'major' when highway = any($5) then 'path' else 'minor' end as class, the_geom
              from roads),
            shaped as (
              select nullif(name, '') as name, class,
                     ST_AsMVTGeom(ST_Simplify(ST_Transform(the_geom, 3857), $6), box.env, {StreetTileRules.Extent}, {StreetTileRules.Buffer}, true) as geom
              from classed, box
              where class = any($7))
            select ST_AsMVT(shaped, '{Layer}', {StreetTileRules.Extent}, 'geom') from shaped where geom is not null
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tile.Z });
        command.Parameters.Add(new NpgsqlParameter { Value = tile.X });
        command.Parameters.Add(new NpgsqlParameter { Value = tile.Y });
        command.Parameters.Add(new NpgsqlParameter { Value = StreetTileRules.HighwaysOf(StreetClass.Major).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = StreetTileRules.HighwaysOf(StreetClass.Path).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = StreetTileRules.ToleranceMetres(tile.Z) });
        command.Parameters.Add(new NpgsqlParameter { Value = classes.Select(c => c.ToString().ToLowerInvariant()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (double)StreetTileRules.Buffer / StreetTileRules.Extent });
        return await command.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    /// <summary>Which of these schemas hold an imported network (a ways table with its road class column).</summary>
    public static async Task<List<(string Schema, long Roads, long LastId)>> NetworksAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken ct)
    {
        var found = new List<(string, long, long)>();
        foreach (var schema in schemas)
        {
            await using var exists = new NpgsqlCommand(
                "select exists (select 1 from information_schema.columns where table_schema = $1 and table_name = 'ways' and column_name = 'highway')", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = schema });
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) continue;
            // Count and last id change when a network is imported again: they version the cached tiles.
            await using var size = new NpgsqlCommand($"select count(*), coalesce(max(gid), 0) from {schema}.ways", connection);
            await using var reader = await size.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            found.Add((schema, reader.GetInt64(0), reader.GetInt64(1)));
        }
        return found;
    }
}
