using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Dispatch.Server.Zones;

/// <summary>
/// A node's lease on a zone as it last saw it: the fencing token the dispatcher's writes for that zone check. A node whose
/// token was superseded (another node took the zone over while it was paused) fails <see cref="HoldAsync(NpgsqlConnection, NpgsqlTransaction?, CancellationToken)"/>
/// and writes nothing.
/// </summary>
internal sealed record ZoneFence(string Zone, string Holder, long Token)
{
    // FOR SHARE: a takeover (an UPDATE of this row) waits until the transaction that checked the token has ended, so the old
    // holder's writes land before the new holder's first round, never after it.
    private const string Sql = "select 1 from zone_leases where zone = $1 and holder = $2 and token = $3 for share";

    /// <summary>Inside the caller's transaction: true when this lease still holds the zone (and locks it until the transaction ends).</summary>
    public async Task<bool> HoldAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = Zone });
        command.Parameters.Add(new NpgsqlParameter { Value = Holder });
        command.Parameters.Add(new NpgsqlParameter { Value = Token });
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The same check on a DbContext inside its current transaction.</summary>
    public Task<bool> HoldAsync(DispatchDbContext db, CancellationToken ct) =>
        HoldAsync((NpgsqlConnection)db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction, ct);
}
