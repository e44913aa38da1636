using Dispatch.Core.Ledger;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dispatch.Server.Ledger;

/// <summary>
/// Books a <see cref="LedgerPosting"/> in the caller's transaction, so the money moves with the event that caused it or
/// not at all. One statement: the transaction row is inserted unless its cause is already booked (then no line is written
/// either, and false comes back), and its lines with it. The database checks again at commit that every currency balances.
/// </summary>
internal static class LedgerWriter
{
    public static async Task<bool> PostAsync(DispatchDbContext db, LedgerPosting posting, string actor, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(posting);
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException($"Ledger posting {posting.Cause} written outside a transaction; it must commit with the event that caused it.");
        if (!LedgerRules.IsBalanced(posting.Lines))
            throw new InvalidOperationException($"Ledger posting {posting.Cause} does not balance per currency; nothing was written.");
        var lines = posting.Lines;
        var written = await db.Database.ExecuteSqlRawAsync("""
            with t as (
                insert into ledger_transactions (id, cause, kind, order_id, courier_id, memo, actor, at)
                values (@id, @cause, @kind, @order, @courier, @memo, @actor, @at)
                on conflict (cause) do nothing
                returning id)
            insert into ledger_lines (transaction_id, account, courier_id, amount, currency, kind, order_id, at, time_zone)
            select t.id, u.account, u.courier_id, u.amount, u.currency, u.kind, u.order_id, @at, @zone
            from t, unnest(@accounts, @couriers, @amounts, @currencies, @kinds, @orders) as u(account, courier_id, amount, currency, kind, order_id)
            """,
            [
                new NpgsqlParameter("id", Guid.CreateVersion7()),
                new NpgsqlParameter("cause", posting.Cause),
                new NpgsqlParameter("kind", posting.Kind),
                new NpgsqlParameter("order", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)posting.OrderId ?? DBNull.Value },
                new NpgsqlParameter("courier", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)posting.CourierId ?? DBNull.Value },
                new NpgsqlParameter("memo", Clip(posting.Memo, 300)),
                new NpgsqlParameter("actor", Clip(actor, 100)),
                new NpgsqlParameter("at", at),
                new NpgsqlParameter("zone", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)posting.TimeZone ?? DBNull.Value },
                new NpgsqlParameter("accounts", lines.Select(l => l.Account).ToArray()),
                new NpgsqlParameter("couriers", lines.Select(l => l.CourierId).ToArray()),
                new NpgsqlParameter("amounts", lines.Select(l => l.Amount).ToArray()),
                new NpgsqlParameter("currencies", lines.Select(l => l.Currency).ToArray()),
                new NpgsqlParameter("kinds", lines.Select(l => l.Kind).ToArray()),
                new NpgsqlParameter("orders", lines.Select(l => l.OrderId).ToArray()),
            ], ct);
        return written > 0;
    }

    private static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}
