using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// What becomes of an offer: the courier accepts or declines it, it expires, or it is withdrawn when its courier goes
/// offline. Accept is one conditional UPDATE on the order row: of two simultaneous accepts exactly one wins. Each answer
/// commits with its order's move and the outbox rows of what must follow (other couriers' and expired offers' "withdrawn"
/// pushes, sent by <see cref="OfferPushes"/>); an order released by an answer is offered again at once (<see cref="OfferRounds"/>).
/// </summary>
internal sealed partial class OfferAnswers(
    IDbContextFactory<DispatchDbContext> dbs,
    OfferRounds rounds,
    OnlineCouriers sessions,
    FleetWriter load,
    AssignmentBook assignments,
    Routing.RoutePlanner routes,
    Zones.ZoneLeadership leadership,
    DispatchMetrics metrics,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<OfferAnswers> logger)
{
    /// <summary>A courier accepts an offer. Exactly one accept per order can succeed.</summary>
    public async Task<Outcome<AcceptResult>> AcceptAsync(Guid courierId, Guid offerId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var offer = await db.Offers.AsNoTracking().FirstOrDefaultAsync(f => f.Id == offerId, ct);
        if (offer is null) return Failure.NotFound($"Offer {offerId} does not exist.");
        if (offer.CourierId != courierId) return Failure.Forbidden("This offer was made to another courier.");
        var now = clock.GetUtcNow();
        var session = sessions.Find(courierId);
        // Going offline withdraws pending offers; this also refuses one whose withdrawal is still on its way.
        if (session is null || !session.Online) return Failure.Conflict("Go online before accepting offers.");
        var position = session.LastFix?.Position;
        var head = await db.Orders.AsNoTracking().Where(x => x.Id == offer.OrderId)
            .Select(x => new OrderHead(x.Id, x.Number, x.MerchantId, x.Zone, OrderStatus.Offered, x.Version, x.CourierId)).FirstAsync(ct);

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Lock the order row first (never an offer row first), so concurrent accepts queue on one row and cannot deadlock.
            var won = await OrderTransitions.MoveAsync(db, new OrderMove(head, OrderTrigger.Accept, $"courier:{courierId:N}", now)
            {
                Position = position,
                NewCourierId = courierId,
                Condition = x => db.Offers.Any(f => f.Id == offerId && f.Status == OfferStatus.Pending && f.ExpiresAt > now),
            }, ct);
            if (!won)
            {
                await tx.RollbackAsync(ct);
                return await ExplainLostAcceptAsync(db, offerId, now, ct);
            }
            var mine = await db.Offers.Where(f => f.Id == offerId && f.Status == OfferStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Accepted).SetProperty(f => f.RespondedAt, now), ct);
            if (mine == 0)
            {
                await tx.RollbackAsync(ct);
                return await ExplainLostAcceptAsync(db, offerId, now, ct);
            }
            var others = await db.Offers.Where(f => f.OrderId == offer.OrderId && f.Status == OfferStatus.Pending).Select(f => new { f.Id, f.CourierId }).ToListAsync(ct);
            await db.Offers.Where(f => f.OrderId == offer.OrderId && f.Status == OfferStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Withdrawn).SetProperty(f => f.Reason, "accepted by another courier").SetProperty(f => f.RespondedAt, now), ct);
            foreach (var other in others)
            {
                OutboxWriter.Add(db, OutboxKinds.OfferWithdrawn, offer.OrderId,
                    new OfferWithdrawal(other.Id, offer.OrderId, other.CourierId, "Another courier accepted this order first."), now);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            metrics.OfferAccepted(now - offer.CreatedAt);
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(x => x.Id == offer.OrderId, ct);
        var via = OrderStops.Remaining(order);
        // The courier's session (its load) and the assignment book live in this node's memory, where the courier is connected:
        // they stay here rather than go to the relay, which may run on another node.
        assignments.Upsert(courierId, new Assignment(order.Id, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff), OrderStatus.Accepted, Via: via));
        await load.ChangeLoadAsync(courierId, +1, 0);
        LogAccepted(logger, order.FormatNumber(), courierId);
        var route = await routes.TryPlanAsync(order.Id, courierId, "accepted", ct);
        // The promise made at accept, kept to score ETAs against what happens (GET /api/metrics/eta).
        DateTimeOffset? promise = route is { Legs.Length: > 0 } ? route.Legs[^1].EtaAt
            : position is { } at ? now.AddSeconds(Eta.ToDropoffSeconds(OrderStatus.Accepted, at, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff), options.Value.EtaSpeedMetresPerSecond, via))
            : null;
        if (promise is not null) await db.Orders.Where(x => x.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EtaAtAccept, promise), ct);
        return new AcceptResult(JobFactory.ToJob(order, options.Value.Currency));
    }

    /// <summary>A courier declines; the order goes to the next candidate at once.</summary>
    public async Task<Outcome<bool>> DeclineAsync(Guid courierId, Guid offerId, string reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var offer = await db.Offers.AsNoTracking().FirstOrDefaultAsync(f => f.Id == offerId, ct);
        if (offer is null) return Failure.NotFound($"Offer {offerId} does not exist.");
        if (offer.CourierId != courierId) return Failure.Forbidden("This offer was made to another courier.");
        var now = clock.GetUtcNow();
        var answer = await OfferAnswerWriter.AnswerAsync(db, offerId, offer.OrderId, OfferStatus.Declined, reason, $"declined by courier {courierId:N}: {reason}", now, ct);
        if (!answer.Answered) return (await ExplainLostAcceptAsync(db, offerId, now, ct)).Failure!;
        LogDeclined(logger, offer.OrderId, courierId, reason);
        if (answer.Released) await rounds.DispatchAsync(offer.OrderId, ct);
        return true;
    }

    /// <summary>Expires offers past their lease and moves their orders on. Returns the number expired.</summary>
    public async Task<int> ExpireDueOffersAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // Only the zones this node dispatches, each expiry fenced by the zone's lease.
        var led = leadership.Led();
        var due = await db.Offers.AsNoTracking().Where(f => f.Status == OfferStatus.Pending && f.ExpiresAt <= now)
            .Join(db.Orders.Where(o => led.Contains(o.Zone)), f => f.OrderId, o => o.Id, (f, o) => new { f.Id, f.OrderId, f.CourierId, f.ExpiresAt, o.Zone })
            .OrderBy(f => f.ExpiresAt).Take(500).ToListAsync(ct);
        var expired = 0;
        foreach (var offer in due)
        {
            if (leadership.FenceFor(offer.Zone) is not { } fence) continue;
            var answer = await OfferAnswerWriter.AnswerAsync(db, offer.Id, offer.OrderId, OfferStatus.Expired, null, $"offer to courier {offer.CourierId:N} expired", now, ct,
                new OfferWithdrawal(offer.Id, offer.OrderId, offer.CourierId, "The offer expired."), fence);
            if (!answer.Answered) continue;
            expired++;
            if (answer.Released) await rounds.DispatchAsync(offer.OrderId, ct);
        }
        return expired;
    }

    /// <summary>
    /// A courier who went offline (or silent past the stale limit) loses every pending offer at once: each is withdrawn
    /// (conditionally, so an accept or another node's withdrawal that came first wins), the courier is told, and the order
    /// moves on as after a decline. Returns the number withdrawn.
    /// </summary>
    public async Task<int> WithdrawOffersOfAsync(Guid courierId, string reason, string toldCourier, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var pending = await db.Offers.AsNoTracking().Where(f => f.CourierId == courierId && f.Status == OfferStatus.Pending)
            .Select(f => new { f.Id, f.OrderId }).ToListAsync(ct);
        var withdrawn = 0;
        foreach (var offer in pending)
        {
            var answer = await OfferAnswerWriter.AnswerAsync(db, offer.Id, offer.OrderId, OfferStatus.Withdrawn, reason, $"offer to courier {courierId:N} withdrawn: {reason}", now, ct,
                new OfferWithdrawal(offer.Id, offer.OrderId, courierId, toldCourier));
            if (!answer.Answered) continue;
            withdrawn++;
            if (answer.Released) await rounds.DispatchAsync(offer.OrderId, ct);
        }
        if (withdrawn > 0) LogWithdrawn(logger, withdrawn, courierId, reason);
        return withdrawn;
    }

    private static async Task<Outcome<AcceptResult>> ExplainLostAcceptAsync(DispatchDbContext db, Guid offerId, DateTimeOffset now, CancellationToken ct)
    {
        var offer = await db.Offers.AsNoTracking().FirstAsync(f => f.Id == offerId, ct);
        return offer.Status switch
        {
            OfferStatus.Accepted => Failure.Conflict("You have already accepted this offer."),
            OfferStatus.Declined => Failure.Conflict("You declined this offer; it can no longer be accepted."),
            OfferStatus.Expired => Failure.Conflict($"The offer expired at {offer.ExpiresAt:HH:mm:ss} UTC and has moved to another courier."),
            OfferStatus.Withdrawn => Failure.Conflict($"The order is no longer available: {offer.Reason ?? "withdrawn"}."),
            _ => offer.ExpiresAt <= now
                ? Failure.Conflict($"The offer expired at {offer.ExpiresAt:HH:mm:ss} UTC.")
                : Failure.Conflict("Another courier accepted this order first."),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} accepted by courier {CourierId}")]
    private static partial void LogAccepted(ILogger logger, string number, Guid courierId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrew {Count} pending offer(s) of courier {CourierId}: {Reason}")]
    private static partial void LogWithdrawn(ILogger logger, int count, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} declined by courier {CourierId}: {Reason}")]
    private static partial void LogDeclined(ILogger logger, Guid orderId, Guid courierId, string reason);
}
