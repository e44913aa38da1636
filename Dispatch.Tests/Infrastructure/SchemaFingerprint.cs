using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// The shape of a database's own schema as one comparable text: columns (type, length, nullability, default, compression),
/// indexes, constraints, triggers, functions and table options. Column order is left out (a column dropped and added again
/// comes back last, which changes nothing the code relies on).
/// </summary>
public static class SchemaFingerprint
{
    private const string Query = """
        select string_agg(x, E'\n' order by x) from (
          select format('column %s.%s %s %s %s %s %s', c.table_name, c.column_name, c.data_type, c.character_maximum_length,
                        c.is_nullable, c.column_default, a.attcompression) as x
          from information_schema.columns c
          join pg_attribute a on a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass and a.attname = c.column_name
          where c.table_schema = 'public' and c.table_name <> '__EFMigrationsHistory'
          union all select 'index ' || indexdef from pg_indexes where schemaname = 'public' and tablename <> '__EFMigrationsHistory'
          union all select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            from pg_constraint where connamespace = 'public'::regnamespace and conrelid <> 0 and conrelid::regclass::text <> '"__EFMigrationsHistory"'
          union all select 'trigger ' || tgrelid::regclass || ' ' || tgname from pg_trigger where not tgisinternal
          union all select 'function ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
          union all select 'options ' || relname || ' ' || array_to_string(reloptions, ',') from pg_class
            where relnamespace = 'public'::regnamespace and reloptions is not null
        ) s
        """;

    public static async Task<string> OfAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Query, connection);
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }
}
