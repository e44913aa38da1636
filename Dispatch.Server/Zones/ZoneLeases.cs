using Npgsql;

namespace Dispatch.Server.Zones;

/// <summary>
/// The zone_leases table: take or renew a zone's lease, give it back. Expiry is database time, so nodes' clocks do not
/// matter. A takeover raises the token; the holder renewing keeps it.
/// </summary>
internal sealed class ZoneLeases(NpgsqlDataSource db)
{
    // A plain UPDATE locks only a row it may take (its own, or expired), so nodes asking for a zone someone else holds never
    // queue behind that holder's fenced writes; the INSERT makes the row the first time.
    private const string TakeSql =
        "update zone_leases set token = token + (holder <> $2)::int, " +
        "acquired_at = case when holder <> $2 then now() else acquired_at end, holder = $2, expires_at = now() + make_interval(secs => $3) " +
        "where zone = $1 and (holder = $2 or expires_at < now()) returning token";

    private const string CreateSql =
        "insert into zone_leases (zone, holder, token, expires_at, acquired_at) values ($1, $2, 1, now() + make_interval(secs => $3), now()) " +
        "on conflict (zone) do nothing returning token";

    /// <summary>
    /// Takes or renews the zone for <paramref name="holder"/>; the token held, or null when another node holds it. Waits at most
    /// <paramref name="lockWait"/> for an old holder's write still under way (then tries again on the next renewal).
    /// </summary>
    public async Task<long?> TakeAsync(string zone, string holder, double leaseSeconds, TimeSpan lockWait, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var timeout = new NpgsqlCommand("select set_config('lock_timeout', $1, true)", connection, tx))
        {
            timeout.Parameters.Add(new NpgsqlParameter { Value = $"{(int)Math.Max(1, lockWait.TotalMilliseconds)}ms" });
            await timeout.ExecuteNonQueryAsync(ct);
        }
        // Past the wait: PostgresException LockNotAvailable, for the caller (who keeps what it held).
        var token = await ScalarAsync(connection, tx, TakeSql, zone, holder, leaseSeconds, ct)
            ?? await ScalarAsync(connection, tx, CreateSql, zone, holder, leaseSeconds, ct);
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>Gives the zones back at once (a node stopping), so another node need not wait for them to expire.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<string> zones, string holder, CancellationToken ct)
    {
        if (zones.Count == 0) return;
        await using var command = db.CreateCommand("update zone_leases set expires_at = now() - interval '1 second' where zone = any($1) and holder = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = zones.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = holder });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, string zone, string holder, double seconds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = zone });
        command.Parameters.Add(new NpgsqlParameter { Value = holder });
        command.Parameters.Add(new NpgsqlParameter { Value = seconds });
        return await command.ExecuteScalarAsync(ct) is long token ? token : null;
    }
}
