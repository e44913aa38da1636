using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Ledger;
using Dispatch.Server.Audit;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Ledger;

/// <summary>
/// An admin's adjustment of a courier's balance: checked by <see cref="LedgerRules.AdjustmentError"/>, booked on the
/// courier's pending account with an audit row in one transaction. An Idempotency-Key makes a retried call book nothing new.
/// </summary>
internal sealed partial class AdjustmentCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    EarningsPushes pushes,
    ILogger<AdjustmentCoordinator> logger)
{
    public async Task<Outcome<AdjustmentView>> AdjustAsync(Guid courierId, AdjustmentRequest? request, string? idempotencyKey, AuditActor actor, CancellationToken ct)
    {
        if (LedgerRules.AdjustmentError(request?.AmountCents, request?.Reason) is { } error)
        {
            LogRefused(logger, courierId, actor.Actor, error.Message);
            return Failure.BadRequest(error.Field, error.Message);
        }
        if (idempotencyKey is { Length: > 128 }) return Failure.BadRequest("Idempotency-Key", "Idempotency-Key is at most 128 characters.");
        var amount = request!.AmountCents!.Value;
        var reason = request.Reason!.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Couriers.AnyAsync(c => c.Id == courierId, ct)) return Failure.NotFound($"No courier has id {courierId}.");

        // The same key for the same courier names the same adjustment, so its cause is already booked on a retry.
        var id = string.IsNullOrEmpty(idempotencyKey) ? Guid.CreateVersion7() : KeyedId(courierId, idempotencyKey);
        var currency = options.Value.Currency;
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var booked = await LedgerWriter.PostAsync(db, LedgerRules.Adjustment(id, courierId, amount, currency, reason), actor.Actor, now, ct);
        if (!booked)
        {
            await tx.RollbackAsync(ct);
            var earlier = await db.Set<LedgerTransactionRecord>().AsNoTracking().FirstAsync(t => t.Cause == $"adjustment:{id:N}", ct);
            var earlierAmount = await db.Set<LedgerLineRecord>().AsNoTracking()
                .Where(l => l.TransactionId == earlier.Id && l.Account == LedgerAccounts.CourierPending).SumAsync(l => -l.Amount, ct);
            return new AdjustmentView(id, courierId, earlierAmount, currency, earlier.Memo, earlier.At, Replayed: true);
        }
        await AuditTrail.WriteAsync(db.Database, actor, "ledger.adjust", $"courier:{courierId}", now, null, new { id, amountCents = amount, currency, reason }, ct);
        await tx.CommitAsync(ct);
        await pushes.SendAsync(courierId, EarningsPushes.Adjusted, null, null, ct);
        LogAdjusted(logger, courierId, amount, currency, actor.Actor);
        return new AdjustmentView(id, courierId, amount, currency, reason, now, Replayed: false);
    }

    private static Guid KeyedId(Guid courierId, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{courierId:N}:{key}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} adjusted by {Amount} {Currency} by {Actor}")]
    private static partial void LogAdjusted(ILogger logger, Guid courierId, long amount, string currency, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adjustment of courier {CourierId} by {Actor} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid courierId, string actor, string reason);
}
