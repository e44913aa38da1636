using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Ledger;

/// <summary>Reads of the ledger: a courier's balance, days, weeks and orders; an admin's view of one courier; the platform's totals.</summary>
internal sealed class LedgerReads(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<DispatchOptions> options)
{
    public const int Days = 14;
    public const int Weeks = 8;
    public const int MaxOrders = 50;
    public const int MaxLines = 500;

    public async Task<CourierBalance> BalanceAsync(Guid courierId, CancellationToken ct) => (await BalancesAsync([courierId], ct))[courierId];

    /// <summary>The balances of several couriers in one query (the outbox's deliveries of a batch); every id asked is in the answer.</summary>
    public async Task<Dictionary<Guid, CourierBalance>> BalancesAsync(IReadOnlyCollection<Guid> courierIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(courierIds);
        var currency = options.Value.Currency;
        await using var command = dataSource.CreateCommand("""
            select courier_id, account, coalesce(-sum(amount), 0)::bigint from ledger_lines
            where courier_id = any($1) and currency = $2 and account = any($3)
            group by courier_id, account
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = courierIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { LedgerAccounts.CourierPending, LedgerAccounts.CourierSettled, LedgerAccounts.CourierWithdrawing } });
        var sums = new Dictionary<(Guid, string), long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) sums[(reader.GetGuid(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        return courierIds.Distinct().ToDictionary(id => id, id => new CourierBalance(currency, sums.GetValueOrDefault((id, LedgerAccounts.CourierPending)),
            sums.GetValueOrDefault((id, LedgerAccounts.CourierSettled)), sums.GetValueOrDefault((id, LedgerAccounts.CourierWithdrawing))));
    }

    /// <summary>Today in Dispatch:EarningsTimeZone: where a courier's default earnings window ends.</summary>
    public DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(options.Value.EarningsTimeZone)).Date);

    public async Task<CourierEarningsView> EarningsAsync(Guid courierId, EarningsWindow window, IReadOnlyList<WithdrawalView> withdrawals, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        var o = options.Value;
        // A day earlier and later than the window in UTC: whatever a line's own time zone, its local day is inside these bounds.
        var since = new DateTimeOffset(window.FirstWeek.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(window.To.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var balance = await BalanceAsync(courierId, ct);

        var days = new Dictionary<DateOnly, long>();
        await using (var command = dataSource.CreateCommand("""
            select (at at time zone coalesce(time_zone, $3))::date, (-sum(amount))::bigint from ledger_lines
            where courier_id = $1 and account = $2 and currency = $4 and kind = any($5) and at >= $6 and at < $7
            group by 1
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = courierId });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerAccounts.CourierPending });
            command.Parameters.Add(new NpgsqlParameter { Value = o.EarningsTimeZone });
            command.Parameters.Add(new NpgsqlParameter { Value = o.Currency });
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerLineKinds.Earnings });
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            command.Parameters.Add(new NpgsqlParameter { Value = until });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) days[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt64(1);
        }
        // Each line counts in the local day of the zone where it was earned (its time zone), so a courier's day in a zone is
        // the day that zone's settlement closes. Every day and week of the window, zero when nothing was earned, newest first: the runner page draws them as they come.
        var dayList = window.Days.Select(d => new EarningsPeriod(d, days.GetValueOrDefault(d))).ToList();
        var weekList = window.Weeks.Select(w => new EarningsPeriod(w, days.Where(kv => EarningsWeek.StartOf(kv.Key) == w).Sum(kv => kv.Value))).ToList();

        var orders = new List<OrderEarnings>();
        await using (var command = dataSource.CreateCommand("""
            select l.order_id, coalesce(o.number, a.number, 0), max(l.at),
                   coalesce(-sum(l.amount) filter (where l.kind = $3), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = any($4)), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = $5), 0)::bigint,
                   coalesce(-sum(l.amount) filter (where l.kind = $6), 0)::bigint
            from ledger_lines l left join orders o on o.id = l.order_id left join archive.orders a on o.id is null and a.id = l.order_id
            where l.courier_id = $1 and l.account = $2 and l.order_id is not null and l.at >= $8 and l.at < $9 and (l.at at time zone coalesce(l.time_zone, $10))::date between $11 and $12
            group by l.order_id, o.number, a.number
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
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            command.Parameters.Add(new NpgsqlParameter { Value = until });
            command.Parameters.Add(new NpgsqlParameter { Value = o.EarningsTimeZone });
            command.Parameters.Add(new NpgsqlParameter { Value = window.From });
            command.Parameters.Add(new NpgsqlParameter { Value = window.To });
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
        await using (var command = dataSource.CreateCommand("select account, currency, sum(amount)::bigint from ledger_lines group by account, currency order by currency, account"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) accounts.Add(new AccountTotal(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        var flows = new List<CashFlowTotal>();
        await using (var command = dataSource.CreateCommand("""
            select kind, currency, sum(amount)::bigint, count(distinct transaction_id)::int from ledger_lines
            where account = $1 group by kind, currency order by currency, kind
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = LedgerAccounts.PlatformCash });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) flows.Add(new CashFlowTotal(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)));
        }
        return new LedgerTotals(accounts, accounts.GroupBy(a => a.Currency).All(g => g.Sum(a => a.Balance) == 0), flows);
    }
}
