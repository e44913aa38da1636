using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Server.Audit;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Ledger;

/// <summary>
/// Withdrawals: a courier asks for part of their settled balance; an admin approves (payout reference) or rejects (reason).
/// A request reads the balance and books under a per-courier advisory lock held to commit, so two requests at once on any
/// node are taken one after the other and the second sees what the first took: the settled balance never goes negative.
/// A decision is a conditional update of the withdrawal's state, booked and audited in the same transaction.
/// </summary>
internal sealed partial class WithdrawalCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    EarningsPushes pushes,
    ILogger<WithdrawalCoordinator> logger)
{
    public const int MaxReference = 100;
    public const int MaxReason = 300;
    public const int MaxList = 100;

    public async Task<Outcome<WithdrawalView>> RequestAsync(Guid courierId, WithdrawalRequest? request, CancellationToken ct)
    {
        var currency = options.Value.Currency;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({"withdrawals:" + courierId.ToString("N")}, 0))", ct);
        var settled = await db.Set<LedgerLineRecord>().AsNoTracking()
            .Where(l => l.CourierId == courierId && l.Account == LedgerAccounts.CourierSettled && l.Currency == currency).SumAsync(l => -l.Amount, ct);
        if (WithdrawalRules.RequestError(request?.AmountCents, settled) is { } error)
        {
            await tx.RollbackAsync(ct);
            LogRefused(logger, courierId, error.Message);
            return error.Field == "amountCents" && request?.AmountCents > 0
                ? new Failure(StatusCodes.Status409Conflict, "Over the settled balance", error.Message, error.Field)
                : Failure.BadRequest(error.Field, error.Message);
        }
        var now = clock.GetUtcNow();
        var withdrawal = new WithdrawalRecord
        {
            Id = Guid.CreateVersion7(), CourierId = courierId, AmountCents = request!.AmountCents!.Value, Currency = currency,
            State = WithdrawalState.Requested, RequestedAt = now,
        };
        db.Set<WithdrawalRecord>().Add(withdrawal);
        await db.SaveChangesAsync(ct);
        await LedgerWriter.PostAsync(db, LedgerRules.WithdrawalRequested(withdrawal.Id, courierId, withdrawal.AmountCents, currency), $"courier:{courierId:N}", now, ct);
        await tx.CommitAsync(ct);
        LogRequested(logger, courierId, withdrawal.AmountCents, currency);
        await pushes.SendAsync(courierId, EarningsPushes.WithdrawalRequested, null, withdrawal.Id, ct);
        return withdrawal.ToView();
    }

    public Task<Outcome<WithdrawalView>> ApproveAsync(Guid withdrawalId, WithdrawalDecision? decision, AuditActor actor, CancellationToken ct) =>
        DecideAsync(withdrawalId, approve: true, decision?.PayoutReference, actor, ct);

    public Task<Outcome<WithdrawalView>> RejectAsync(Guid withdrawalId, WithdrawalDecision? decision, AuditActor actor, CancellationToken ct) =>
        DecideAsync(withdrawalId, approve: false, decision?.Reason, actor, ct);

    private async Task<Outcome<WithdrawalView>> DecideAsync(Guid withdrawalId, bool approve, string? text, AuditActor actor, CancellationToken ct)
    {
        var field = approve ? "payoutReference" : "reason";
        if (WithdrawalRules.TextError(field, text, approve ? MaxReference : MaxReason) is { } error)
        {
            LogDecisionRefused(logger, withdrawalId, actor.Actor, error.Message);
            return Failure.BadRequest(error.Field, error.Message);
        }
        var note = text!.Trim();
        var state = approve ? WithdrawalState.Approved : WithdrawalState.Rejected;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Set<WithdrawalRecord>().Where(w => w.Id == withdrawalId && w.State == WithdrawalState.Requested).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.State, state).SetProperty(w => w.DecidedAt, now).SetProperty(w => w.DecidedBy, actor.Actor)
            .SetProperty(w => w.PayoutReference, approve ? note : null).SetProperty(w => w.Reason, approve ? null : note), ct);
        var withdrawal = await db.Set<WithdrawalRecord>().AsNoTracking().FirstOrDefaultAsync(w => w.Id == withdrawalId, ct);
        if (withdrawal is null) return Failure.NotFound($"No withdrawal has id {withdrawalId}.");
        if (changed == 0)
        {
            await tx.RollbackAsync(ct);
            return Failure.Conflict($"Withdrawal {withdrawalId} was already {withdrawal.State.ToString().ToLowerInvariant()}; it is decided once.");
        }
        var posting = approve
            ? LedgerRules.WithdrawalApproved(withdrawal.Id, withdrawal.CourierId, withdrawal.AmountCents, withdrawal.Currency, note)
            : LedgerRules.WithdrawalRejected(withdrawal.Id, withdrawal.CourierId, withdrawal.AmountCents, withdrawal.Currency, note);
        await LedgerWriter.PostAsync(db, posting, actor.Actor, now, ct);
        await AuditTrail.WriteAsync(db.Database, actor, approve ? "withdrawal.approve" : "withdrawal.reject", $"courier:{withdrawal.CourierId}", now,
            new { id = withdrawal.Id, state = WithdrawalState.Requested }, new { id = withdrawal.Id, state, amountCents = withdrawal.AmountCents, note }, ct);
        await tx.CommitAsync(ct);
        LogDecided(logger, withdrawalId, withdrawal.CourierId, state, actor.Actor);
        await pushes.SendAsync(withdrawal.CourierId, approve ? EarningsPushes.WithdrawalApproved : EarningsPushes.WithdrawalRejected, null, withdrawal.Id, ct);
        return withdrawal.ToView();
    }

    public async Task<IReadOnlyList<WithdrawalView>> ListAsync(Guid? courierId, WithdrawalState? state, int limit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = db.Set<WithdrawalRecord>().AsNoTracking();
        if (courierId is { } c) rows = rows.Where(w => w.CourierId == c);
        if (state is { } s) rows = rows.Where(w => w.State == s);
        var list = await rows.OrderByDescending(w => w.RequestedAt).Take(limit).ToListAsync(ct);
        return [.. list.Select(w => w.ToView())];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} asked to withdraw {Amount} {Currency}")]
    private static partial void LogRequested(ILogger logger, Guid courierId, long amount, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Withdrawal of courier {CourierId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal {WithdrawalId} of courier {CourierId} {State} by {Actor}")]
    private static partial void LogDecided(ILogger logger, Guid withdrawalId, Guid courierId, WithdrawalState state, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision on withdrawal {WithdrawalId} by {Actor} refused: {Reason}")]
    private static partial void LogDecisionRefused(ILogger logger, Guid withdrawalId, string actor, string reason);
}
