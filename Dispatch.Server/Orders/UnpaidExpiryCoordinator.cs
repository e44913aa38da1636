using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>
/// Cancels orders still Placed (never paid) <see cref="DispatchOptions.UnpaidExpiryMinutes"/> after they were created: per
/// order one conditional update on the status and version read, with its order_events row, so two nodes sweeping at once
/// cancel each order once. The tracking link winds down as after any cancellation; a payment arriving later is refused.
/// </summary>
internal sealed partial class UnpaidExpiryCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    IOptions<AuthOptions> auth,
    ILogger<UnpaidExpiryCoordinator> logger)
{
    public const string Actor = "system:unpaid-expiry";

    /// <summary>A sweep cancels at most this many orders, oldest first; the next sweep takes the rest.</summary>
    public const int MaxPerSweep = 500;

    /// <summary>After this node's first sweep (which reads all history), later sweeps only look this far behind the cutoff.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(1);

    private bool _sweptAll;

    /// <summary>Cancels the unpaid orders past the limit; returns how many this node cancelled.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var minutes = options.Value.UnpaidExpiryMinutes;
        var now = clock.GetUtcNow();
        var cutoff = now.AddMinutes(-minutes);
        // Orders are created with created_at = now, so once a full pass is done only the last day's can newly pass the cutoff.
        await using var db = await dbs.CreateDbContextAsync(ct);
        var placed = db.Orders.AsNoTracking().Where(o => o.CreatedAt < cutoff && o.Status == OrderStatus.Placed);
        if (_sweptAll)
        {
            var from = cutoff - LookBack;
            placed = placed.Where(o => o.CreatedAt >= from);
        }
        var unpaid = await placed.OrderBy(o => o.CreatedAt).Take(MaxPerSweep).Select(o => new { Head = new OrderHead(o.Id, o.Number, o.MerchantId, o.Zone, o.Status, o.Version, o.CourierId), o.TrackingExpiresAt }).ToListAsync(ct);
        if (unpaid.Count < MaxPerSweep) _sweptAll = true;

        var to = OrderStateMachine.Apply(OrderStatus.Placed, OrderTrigger.Cancel).To
            ?? throw new InvalidOperationException("Placed orders cannot be cancelled.");
        var note = $"not paid within {minutes} minutes";
        var graceEnd = now.AddMinutes(auth.Value.TrackingGraceMinutes);
        var cancelled = 0;
        foreach (var order in unpaid)
        {
            var trackingExpiry = graceEnd < order.TrackingExpiresAt ? graceEnd : order.TrackingExpiresAt;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                // A payment or a cancellation on another node in between wins: then nothing changes here.
                var moved = await OrderTransitions.MoveAsync(db, new OrderMove(order.Head, OrderTrigger.Cancel, Actor, now)
                {
                    Note = note,
                    OnVersion = true,
                    Set = s => s.SetProperty(o => o.TrackingExpiresAt, trackingExpiry),
                }, ct);
                if (!moved)
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
                db.ChangeTracker.Clear();
                await tx.CommitAsync(ct);
            }
            cancelled++;
            LogExpired(logger, order.Head.FormatNumber(), minutes);
        }
        return cancelled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} cancelled: not paid within {Minutes} minutes")]
    private static partial void LogExpired(ILogger logger, string number, int minutes);
}
