using Dispatch.Core.Ledger;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Ledger;

/// <summary>Reads of the ledger: a courier's balance, days, weeks and orders; an admin's view of one courier; the platform's totals.</summary>
public sealed class LedgerReads(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<DispatchOptions> options)
{
    public const int Days = 14;
    public const int Weeks = 8;
    public const int MaxOrders = 50;
    public const int MaxLines = 500;

    public async Task<CourierBalance> BalanceAsync(Guid courierId, CancellationToken ct)
    {
        var currency = options.Value.Currency;
        await using var command = dataSource.CreateCommand("""
            select account, coalesce(-sum(amount), 0)::bigint from ledger_lines
            where courier_id = $1 and currency = $2 and account = any($3)
            group by account
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = courierId });
        command.Parameters.Add(new NpgsqlParameter { Value = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { LedgerAccounts.CourierPending, LedgerAccounts.CourierSettled, LedgerAccounts.CourierWithdrawing } });
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) sums[reader.GetString(0)] = reader.GetInt64(1);
        return new CourierBalance(currency, sums.GetValueOrDefault(LedgerAccounts.CourierPending), sums.GetValueOrDefault(LedgerAccounts.CourierSettled),
            sums.GetValueOrDefault(LedgerAccounts.CourierWithdrawing));
    }

    public async Task<CourierEarningsView> EarningsAsync(Guid courierId, IReadOnlyList<WithdrawalView> withdrawals, CancellationToken ct)
    {
        var o = options.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.EarningsTimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Date);
        var firstWeek = EarningsWeek.StartOf(today).AddDays(-7 * (Weeks - 1));
        var since = new DateTimeOffset(firstWeek.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(firstWeek.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
        var balance = await BalanceAsync(courierId, ct);

        var days = new Dictionary<DateOnly, long>();
        await using (var command = dataSource.CreateCommand("""
            select (at at time zone $3)::date, (-sum(amount))::bigint from ledger_lines
            where courier_id = $1 and account = $2 and currency = $4 and kind = any($5) and at >= $6
            group by 1
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = courierId });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerAccounts.CourierPending });
            command.Parameters.Add(new NpgsqlParameter { Value = o.EarningsTimeZone });
            command.Parameters.Add(new NpgsqlParameter { Value = o.Currency });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerLineKinds.Earnings });
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) days[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt64(1);
        }
        // Every day and week of the window, zero when nothing was earned, newest first: the runner page draws them as they come.
        var dayList = Enumerable.Range(0, Days).Select(i => today.AddDays(-i)).Select(d => new EarningsPeriod(d, days.GetValueOrDefault(d))).ToList();
        var weekList = Enumerable.Range(0, Weeks).Select(i => EarningsWeek.StartOf(today).AddDays(-7 * i))
            .Select(w => new EarningsPeriod(w, days.Where(kv => EarningsWeek.StartOf(kv.Key) == w).Sum(kv => kv.Value))).ToList();

        var orders = new List<OrderEarnings>();
        await using (var command = dataSource.CreateCommand("""
            select l.order_id, coalesce(o.number, 0), max(l.at),
                   coalesce(-sum(l.amount) filter (where l.kind = $3), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = any($4)), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = $5), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = $6), 0)::bigint
            from ledger_lines l left join orders o on o.id = l.order_id
            where l.courier_id = $1 and l.account = $2 and l.order_id is not null
            group by l.order_id, o.number
            order by max(l.at) desc
            limit $7
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = courierId });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerAccounts.CourierPending });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerLineKinds.Fee });
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { LedgerLineKinds.ColdChainSurcharge, LedgerLineKinds.ErrandSurcharge } });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerLineKinds.Reimbursement });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerLineKinds.FeeReversal });
            command.Parameters.Add(new NpgsqlParameter { Value = MaxOrders });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                orders.Add(new OrderEarnings(reader.GetGuid(0), Persistence.OrderRecord.FormatNumber(reader.GetInt64(1)), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
            }
        }
        return new CourierEarningsView(courierId, balance, o.EarningsTimeZone, dayList, weekList, orders, withdrawals);
    }

    public async Task<CourierLedgerView> CourierLedgerAsync(Guid courierId, int limit, CancellationToken ct)
    {
        var balance = await BalanceAsync(courierId, ct);
        var lines = new List<LedgerEntryView>();
        await using var command = dataSource.CreateCommand("""
            select l.id, l.at, t.cause, t.kind, t.memo, t.actor, l.account, l.amount, l.currency, l.kind, l.order_id
            from ledger_lines l join ledger_transactions t on t.id = l.transaction_id
            where l.courier_id = $1
            order by l.id desc
            limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = courierId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(new LedgerEntryView(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetInt64(7), reader.GetString(8), reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetGuid(10)));
        }
        return new CourierLedgerView(courierId, balance, lines);
    }

    public async Task<LedgerTotals> TotalsAsync(CancellationToken ct)
    {
        var accounts = new List<AccountTotal>();
        await using var command = dataSource.CreateCommand("select account, currency, sum(amount)::bigint from ledger_lines group by account, currency order by currency, account");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) accounts.Add(new AccountTotal(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return new LedgerTotals(accounts, accounts.GroupBy(a => a.Currency).All(g => g.Sum(a => a.Balance) == 0));
    }
}
