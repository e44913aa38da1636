using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Server.Ledger;
using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// The ledger's guarantees on the real PostgreSQL: two withdrawals at once cannot overdraw, a replayed cause books nothing,
/// bad input is a problem naming the field with nothing written, and the database itself refuses changes and unbalanced
/// transactions.
/// </summary>
public sealed class LedgerTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Two_withdrawals_at_once_cannot_overdraw_the_settled_balance()
    {
        server.RequireServices();
        var courier = await SettledCourierAsync("wd-race", 1000);

        var requests = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            LedgerSteps.AsCourierAsync(server, courier, HttpMethod.Post, "/api/couriers/me/withdrawals", new { amountCents = 700 })));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], requests.Select(r => r.StatusCode).Order());
        var refused = await requests.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("amountCents 700 is more than your settled balance 300.", refused.GetProperty("detail").GetString());
        Assert.True(refused.GetProperty("errors").TryGetProperty("amountCents", out _));
        var view = await LedgerSteps.EarningsAsync(server, courier);
        Assert.Equal(new CourierBalance("EUR", 0, 300, 700), view.Balance);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from withdrawals where courier_id = $1", courier));
    }

    [Fact]
    public async Task A_replayed_cause_books_nothing_twice()
    {
        server.RequireServices();
        var courier = (await server.FleetAsync("replay", 1))[0].CourierId;

        // An adjustment retried with its Idempotency-Key: one booking, one audit row, the same answer.
        var first = await LedgerSteps.AdjustAsync(server, courier, new { amountCents = 450, reason = "night shift" }, "adj-1");
        var again = await LedgerSteps.AdjustAsync(server, courier, new { amountCents = 450, reason = "night shift" }, "adj-1");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        var firstView = (await first.Content.ReadFromJsonAsync<AdjustmentView>(DispatchServer.Json))!;
        var againView = (await again.Content.ReadFromJsonAsync<AdjustmentView>(DispatchServer.Json))!;
        Assert.Equal((firstView.Id, 450L, "night shift", true), (againView.Id, againView.AmountCents, againView.Reason, againView.Replayed));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from ledger_transactions where courier_id = $1", courier));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where action = 'ledger.adjust' and target = $1", $"courier:{courier}"));

        // A settlement run twice: the second moves nothing.
        var settlement = LedgerSteps.TomorrowsSettlement(server);
        var today = LedgerSteps.Today(server);
        var once = await settlement.RunAsync(today, CancellationToken.None);
        var twice = await settlement.RunAsync(today, CancellationToken.None);
        Assert.True(once.Settled >= 1);
        Assert.Equal((0, once.Settled + once.AlreadySettled, 0L), (twice.Settled, twice.AlreadySettled, twice.MovedCents));
        Assert.Equal(new CourierBalance("EUR", 0, 450, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);

        // The writer itself: the same cause a second time is refused quietly, with no line written.
        var posting = LedgerRules.Adjustment(Guid.NewGuid(), courier, 99, "EUR", "written twice");
        var dbs = server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        var results = new List<bool>();
        for (var i = 0; i < 2; i++)
        {
            await using var db = await dbs.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            results.Add(await LedgerWriter.PostAsync(db, posting, "test", DateTimeOffset.UtcNow, CancellationToken.None));
            await tx.CommitAsync();
        }
        Assert.Equal([true, false], results);
        Assert.Equal(2, await server.ScalarAsync("select count(*) from ledger_lines l join ledger_transactions t on t.id = l.transaction_id where t.cause = $1", posting.Cause));
    }

    [Theory]
    [InlineData("{\"amountCents\": 0, \"reason\": \"zero\"}", "amountCents")]
    [InlineData("{\"reason\": \"no amount\"}", "amountCents")]
    [InlineData("{\"amountCents\": 500}", "reason")]
    [InlineData("{\"amountCents\": 500, \"reason\": \"   \"}", "reason")]
    [InlineData("{\"amountCents\": 500000000, \"reason\": \"three zeros too many\"}", "amountCents")]
    public async Task A_bad_adjustment_is_a_problem_naming_the_field_and_writes_nothing(string json, string field)
    {
        server.RequireServices();
        var courier = (await server.FleetAsync("bad-adj", 1))[0].CourierId;
        var before = await CountsAsync();
        var response = await LedgerSteps.AdjustAsync(server, courier, JsonDocument.Parse(json).RootElement);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Bad_withdrawals_and_decisions_are_problems_and_write_nothing()
    {
        server.RequireServices();
        var courier = await SettledCourierAsync("bad-wd", 500);
        var before = await CountsAsync();
        Task<HttpResponseMessage> Ask(object body) => LedgerSteps.AsCourierAsync(server, courier, HttpMethod.Post, "/api/couriers/me/withdrawals", body);

        await AssertProblemAsync(await Ask(new { amountCents = -100 }), HttpStatusCode.BadRequest, "amountCents");
        await AssertProblemAsync(await Ask(new { amountCents = 0 }), HttpStatusCode.BadRequest, "amountCents");
        await AssertProblemAsync(await Ask(new { }), HttpStatusCode.BadRequest, "amountCents");
        await AssertProblemAsync(await Ask(new { amountCents = 501 }), HttpStatusCode.Conflict, "amountCents");
        await AssertProblemAsync(await LedgerSteps.AdjustAsync(server, Guid.NewGuid(), new { amountCents = 5, reason = "nobody" }), HttpStatusCode.NotFound, null);
        Assert.Equal(before, await CountsAsync());

        var made = await Ask(new { amountCents = 500 });
        var withdrawal = (await made.Content.ReadFromJsonAsync<WithdrawalView>(DispatchServer.Json))!;
        var afterRequest = await CountsAsync();
        await AssertProblemAsync(await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawal.Id}/approve", "admin", new { }), HttpStatusCode.BadRequest, "payoutReference");
        await AssertProblemAsync(await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawal.Id}/reject", "admin", new { reason = " " }), HttpStatusCode.BadRequest, "reason");
        await AssertProblemAsync(await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{Guid.NewGuid()}/approve", "admin", new { payoutReference = "X-1" }), HttpStatusCode.NotFound, null);
        Assert.Equal(afterRequest, await CountsAsync());

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawal.Id}/approve", "admin", new { payoutReference = "X-1" })).StatusCode);
        var decided = await CountsAsync();
        await AssertProblemAsync(await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawal.Id}/reject", "admin", new { reason = "too late" }), HttpStatusCode.Conflict, null);
        Assert.Equal(decided, await CountsAsync());
        Assert.Equal(new CourierBalance("EUR", 0, 0, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);

        // Only admins adjust and decide; only couriers ask.
        Assert.Equal(HttpStatusCode.Forbidden, (await LedgerSteps.AsCourierAsync(server, courier, HttpMethod.Post, $"/api/admin/couriers/{courier}/adjustments", new { amountCents = 5, reason = "me" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Post, $"/api/admin/couriers/{courier}/adjustments", "dispatcher", new { amountCents = 5, reason = "me" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Get, "/api/couriers/me/earnings", "admin")).StatusCode);
    }

    [Fact]
    public async Task The_database_refuses_changes_to_the_ledger_and_unbalanced_transactions()
    {
        server.RequireServices();
        var courier = await SettledCourierAsync("append-only", 300);
        var update = await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync("update ledger_lines set amount = amount * 2 where courier_id = $1", courier));
        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync("delete from ledger_transactions where courier_id = $1", courier));
        await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync("truncate ledger_lines cascade"));

        // Lines that do not sum to zero are refused at commit, whoever writes them.
        await using (var connection = await server.Db.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand("""
                with t as (insert into ledger_transactions (id, cause, kind, memo, actor, at) values (gen_random_uuid(), 'forged', 'adjustment', '', 'sql', now()) returning id)
                insert into ledger_lines (transaction_id, account, courier_id, amount, currency, kind, at) select id, 'courier_settled', $1, -100000, 'EUR', 'adjustment', now() from t
                """, connection, tx);
            insert.Parameters.Add(new NpgsqlParameter { Value = courier });
            await insert.ExecuteNonQueryAsync();
            var commit = await Assert.ThrowsAsync<PostgresException>(() => tx.CommitAsync());
            Assert.Contains("does not balance", commit.MessageText, StringComparison.Ordinal);
        }
        var dbs = server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        await using (var db = await dbs.CreateDbContextAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var lopsided = new LedgerPosting("lopsided", "adjustment", [new(LedgerAccounts.CourierSettled, courier, -5, "EUR", LedgerLineKinds.Adjustment), new(LedgerAccounts.Adjustments, null, 4, "EUR", LedgerLineKinds.Adjustment)], "");
            await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerWriter.PostAsync(db, lopsided, "test", DateTimeOffset.UtcNow, CancellationToken.None));
        }
        Assert.Equal(0, await server.ScalarAsync("select count(*) from ledger_transactions where cause in ('forged', 'lopsided')"));
        Assert.Equal(new CourierBalance("EUR", 0, 300, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);
    }

    /// <summary>A fresh courier with <paramref name="cents"/> settled: an admin's adjustment, then today settled as tomorrow's job would.</summary>
    private async Task<Guid> SettledCourierAsync(string prefix, long cents)
    {
        var courier = (await server.FleetAsync(prefix, 1))[0].CourierId;
        Assert.Equal(HttpStatusCode.Created, (await LedgerSteps.AdjustAsync(server, courier, new { amountCents = cents, reason = "opening balance" })).StatusCode);
        await LedgerSteps.SettleTodayAsync(server);
        Assert.Equal(new CourierBalance("EUR", 0, cents, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);
        return courier;
    }

    private async Task<(long Transactions, long Lines, long Audit, long Withdrawals)> CountsAsync() => (
        await server.ScalarAsync("select count(*) from ledger_transactions"), await server.ScalarAsync("select count(*) from ledger_lines"),
        await server.ScalarAsync("select count(*) from audit_log"), await server.ScalarAsync("select count(*) from withdrawals where state <> 0"));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), $"problem has a detail: {problem}");
        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"problem names {field}: {problem}");
    }
}
