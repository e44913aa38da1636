using Dispatch.Core.Orders;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Privacy;

/// <summary>
/// Encrypts the orders written before personal data was encrypted (their plain customer_name, customer_phone and pin
/// columns), in batches, then empties the plain columns. Runs at every start: a no-op once done (an index holds only the
/// rows left), safe on several nodes at once (rows are locked with skip locked), and resumable after a crash.
/// </summary>
internal sealed partial class PersonalDataBackfill(
    NpgsqlDataSource dataSource,
    PersonalData personal,
    IOptions<DispatchOptions> options,
    ILogger<PersonalDataBackfill> logger)
{
    public const int BatchSize = 500;

    /// <summary>Encrypts every plain row left, then re-hashes phones if the hash key is being rotated; returns the rows encrypted.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var total = 0;
        int done;
        while ((done = await RunBatchAsync(ct)) > 0) total += done;
        if (total > 0) LogEncrypted(logger, total);
        if (personal.RotatingHashKey) LogRehashed(logger, await RehashAsync(ct));
        return total;
    }

    /// <summary>One pass over every order (by id, in batches) giving each phone its hashes under the current key.</summary>
    public async Task<int> RehashAsync(CancellationToken ct)
    {
        var rehashed = 0;
        var after = Guid.Empty;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var changed = new List<(Guid Id, byte[] Whole, byte[] Suffix)>();
            var read = 0;
            await using (var select = new NpgsqlCommand(
                "select id, customer_phone_enc, customer_phone_hash from orders where id > $1 order by id limit $2 for update", connection, tx))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = after });
                select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    read++;
                    after = reader.GetGuid(0);
                    var phone = personal.Unprotect(reader.GetString(1));
                    var whole = personal.PhoneHash(phone);
                    if (phone.Length > 0 && !whole.AsSpan().SequenceEqual((byte[])reader[2])) changed.Add((after, whole, personal.PhoneSuffixHash(phone)));
                }
            }
            if (read == 0) return rehashed;
            await using var batch = new NpgsqlBatch(connection, tx);
            foreach (var (id, whole, suffix) in changed)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("update orders set customer_phone_hash = $1, customer_phone_suffix_hash = $2 where id = $3")
                {
                    Parameters = { new NpgsqlParameter { Value = whole }, new NpgsqlParameter { Value = suffix }, new NpgsqlParameter { Value = id } },
                });
            }
            if (changed.Count > 0) await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            rehashed += changed.Count;
        }
    }

    private async Task<int> RunBatchAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = new List<(Guid Id, string Name, string Phone, string Pin)>();
        await using (var select = new NpgsqlCommand(
            "select id, customer_name, customer_phone, pin from orders where customer_phone is not null limit $1 for update skip locked", connection, tx))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetGuid(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? "" : reader.GetString(3)));
            }
        }
        if (rows.Count == 0) return 0;
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var (id, name, written, pin) in rows)
        {
            // Numbers accepted before phones were validated stay as written (still masked, found by their last 6 digits).
            var phone = PhoneNumbers.TryNormalize(written, options.Value.DefaultCountryCallingCode, out var e164, out _) ? e164 : written.Trim();
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                update orders set customer_name_enc = $1, customer_phone_enc = $2, pin_enc = $3,
                    customer_phone_hash = $4, customer_phone_suffix_hash = $5, customer_name = null, customer_phone = null, pin = null
                where id = $6
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = personal.Protect(name.Trim()) },
                    new NpgsqlParameter { Value = personal.Protect(phone) },
                    new NpgsqlParameter { Value = personal.Protect(pin) },
                    new NpgsqlParameter { Value = personal.PhoneHash(phone) },
                    new NpgsqlParameter { Value = personal.PhoneSuffixHash(phone) },
                    new NpgsqlParameter { Value = id },
                },
            });
        }
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-hashed {Count} customer phones with Privacy:PhoneHashKey; every order now has it, so Privacy:RetiredPhoneHashKeys can be removed")]
    private static partial void LogRehashed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted the customer name, phone and PIN of {Count} orders stored in plain text by an earlier version")]
    private static partial void LogEncrypted(ILogger logger, int count);
}
