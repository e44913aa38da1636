using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Orders;

/// <summary>Stores the customer's rating of a delivered order, once (the update is conditional on no rating yet).</summary>
internal sealed partial class RatingCoordinator(IDbContextFactory<DispatchDbContext> dbs, TimeProvider clock, ILogger<RatingCoordinator> logger)
{
    public async Task<Outcome<RatingView>> RateAsync(Guid orderId, int stars, string? comment, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        var refusal = RatingRules.Check(order.FormatNumber(), order.Status, order.RatingStars is not null, stars, text);
        if (refusal is not null)
        {
            LogRefused(logger, order.FormatNumber(), refusal);
            return Failure.Conflict(refusal);
        }
        var now = clock.GetUtcNow();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var rows = await db.Orders.Where(o => o.Id == orderId && o.RatingStars == null && o.Status == OrderStatus.Delivered)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.RatingStars, (short)stars).SetProperty(o => o.RatingComment, text)
                    .SetProperty(o => o.RatedAt, now).SetProperty(o => o.Version, o => o.Version + 1), ct);
            if (rows == 0)
            {
                await tx.RollbackAsync(ct);
                return Failure.Conflict($"Order {order.FormatNumber()} has already been rated; a rating is given once.");
            }
            db.OrderEvents.Add(OrderEvents.Create(orderId, order.Status, now, OrderEvents.CustomerLinkActor, note: RatingRules.Note(stars)));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        LogRated(logger, order.FormatNumber(), stars);
        return new RatingView(stars, text, now);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} rated {Stars}/5 by the customer")]
    private static partial void LogRated(ILogger logger, string number, int stars);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: rating refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, string reason);
}
