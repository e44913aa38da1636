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
    AssignmentBook assignments,
    Routing.RoutePlanner routes,
    Zones.ZoneLeadership leadership,
    DispatchMetrics metrics,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<OfferAnswers> logger)
{
    /// <summary>
    /// A courier accepts an offer. Exactly one accept per order can succeed. A bundle offer is accepted whole, by its id (as
    /// pushed) or any of its rows' ids: every order of it still offered moves to Accepted for this courier in one transaction,
    /// each through <see cref="OrderTransitions"/> on its own row; an order that left the bundle meanwhile (cancelled) is
    /// simply not part of it any more.
    /// </summary>
    public async Task<Outcome<AcceptResult>> AcceptAsync(Guid courierId, Guid offerId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var offers = await db.Offers.AsNoTracking().Where(f => f.Id == offerId || f.BundleId == offerId).ToListAsync(ct);
        if (offers.Count == 0) return Failure.NotFound($"Offer {offerId} does not exist.");
        if (offers is [{ BundleId: { } bundle }] && offers[0].Id == offerId)
            offers = await db.Offers.AsNoTracking().Where(f => f.BundleId == bundle).ToListAsync(ct);
        if (offers.Exists(f => f.CourierId != courierId)) return Failure.Forbidden("This offer was made to another courier.");
        var bundleId = offers[0].BundleId;
        var now = clock.GetUtcNow();
        var session = sessions.Find(courierId);
        // Going offline withdraws pending offers; this also refuses one whose withdrawal is still on its way.
        if (session is null || !session.Online) return Failure.Conflict("Go online before accepting offers.");
        var position = session.LastFix?.Position;
        var pending = offers.Where(f => f.Status == OfferStatus.Pending).ToList();
        if (pending.Count == 0) return await ExplainLostAcceptAsync(db, offerId, now, ct);
        var orderIds = pending.Select(f => f.OrderId).Order().ToArray();
        var heads = await db.Orders.AsNoTracking().Where(x => orderIds.Contains(x.Id))
            .Select(x => new OrderHead(x.Id, x.Number, x.MerchantId, x.Zone, OrderStatus.Offered, x.Version, x.CourierId)).ToListAsync(ct);
        heads.Sort((a, b) => a.Id.CompareTo(b.Id));

        var won = new List<Guid>(heads.Count);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Lock the order rows first (never an offer row first), in id order, so concurrent accepts and answers queue on the
            // same rows and cannot deadlock; one order's accept locks its row with the move itself.
            if (heads.Count > 1) await db.Orders.FromSql($"select * from orders where id = any({orderIds}) order by id for update").Select(o => o.Id).ToListAsync(ct);
            foreach (var head in heads)
            {
                var mineId = pending.Find(f => f.OrderId == head.Id)!.Id;
                var moved = await OrderTransitions.MoveAsync(db, new OrderMove(head, OrderTrigger.Accept, $"courier:{courierId:N}", now)
                {
                    Position = position,
                    NewCourierId = courierId,
                    Condition = x => db.Offers.Any(f => f.Id == mineId && f.Status == OfferStatus.Pending && f.ExpiresAt > now),
                }, ct);
                if (!moved) continue;
                await db.Offers.Where(f => f.Id == mineId && f.Status == OfferStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Accepted).SetProperty(f => f.RespondedAt, now), ct);
                var others = await db.Offers.Where(f => f.OrderId == head.Id && f.Status == OfferStatus.Pending).Select(f => new { f.Id, f.CourierId }).ToListAsync(ct);
                await db.Offers.Where(f => f.OrderId == head.Id && f.Status == OfferStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Withdrawn).SetProperty(f => f.Reason, "accepted by another courier").SetProperty(f => f.RespondedAt, now), ct);
                foreach (var other in others)
                {
                    OutboxWriter.Add(db, OutboxKinds.OfferWithdrawn, head.Id,
                        new OfferWithdrawal(other.Id, head.Id, other.CourierId, "Another courier accepted this order first."), now);
                }
                won.Add(head.Id);
            }
            if (won.Count == 0)
            {
                await tx.RollbackAsync(ct);
                return await ExplainLostAcceptAsync(db, offerId, now, ct);
            }
            // A row of the bundle whose order could not move stays pending no longer: the bundle is answered whole.
            if (bundleId is { } accepted)
            {
                await db.Offers.Where(f => f.BundleId == accepted && f.Status == OfferStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, OfferStatus.Withdrawn).SetProperty(f => f.Reason, "no longer part of the accepted bundle").SetProperty(f => f.RespondedAt, now), ct);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            metrics.OfferAccepted(now - pending[0].CreatedAt);
        }

        // The jobs in the order the bundle was offered (its rows' ids are in the round's order).
        var ordered = pending.Where(f => won.Contains(f.OrderId)).OrderBy(f => f.Id).Select(f => f.OrderId).ToList();
        var orders = await db.Orders.AsNoTracking().Where(x => ordered.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        // The load (the session's counts, Redis) follows from the outbox (Couriers/CourierLoadEffects). Only the book entry is
        // put here at once, on the courier's own node: the route planned below attaches to it.
        sessions.OrdersKnownNow(courierId);
        foreach (var id in ordered)
        {
            var order = orders[id];
            assignments.Upsert(courierId, new Assignment(order.Id, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff), OrderStatus.Accepted, Via: OrderStops.Remaining(order)));
        }
        var jobs = new List<ActiveJob>(ordered.Count);
        foreach (var id in ordered)
        {
            var order = orders[id];
            var via = OrderStops.Remaining(order);
            LogAccepted(logger, order.FormatNumber(), courierId);
            var route = await routes.TryPlanAsync(order.Id, courierId, "accepted", ct);
            // The promise made at accept, kept to score ETAs against what happens (GET /api/metrics/eta).
            DateTimeOffset? promise = route is { Legs.Length: > 0 } ? route.Legs[^1].EtaAt
                : position is { } at ? now.AddSeconds(Eta.ToDropoffSeconds(OrderStatus.Accepted, at, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff), options.Value.EtaSpeedMetresPerSecond, via))
                : null;
            if (promise is not null) await db.Orders.Where(x => x.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.EtaAtAccept, promise), ct);
            jobs.Add(JobFactory.ToJob(order, options.Value.Currency));
        }
        return new AcceptResult(jobs[0], [.. jobs]);
    }

    /// <summary>A courier declines; the order goes to the next candidate at once. A bundle offer is declined whole: all its orders are released.</summary>
    public async Task<Outcome<bool>> DeclineAsync(Guid courierId, Guid offerId, string reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var offer = await db.Offers.AsNoTracking().FirstOrDefaultAsync(f => f.Id == offerId || f.BundleId == offerId, ct);
        if (offer is null) return Failure.NotFound($"Offer {offerId} does not exist.");
        if (offer.CourierId != courierId) return Failure.Forbidden("This offer was made to another courier.");
        var now = clock.GetUtcNow();
        var answer = await OfferAnswerWriter.AnswerAsync(db, offer.Id, offer.OrderId, offer.BundleId, OfferStatus.Declined, reason, $"declined by courier {courierId:N}: {reason}", now, ct);
        if (!answer.Answered) return (await ExplainLostAcceptAsync(db, offerId, now, ct)).Failure!;
        LogDeclined(logger, offer.OrderId, courierId, reason);
        foreach (var released in answer.Released) await rounds.DispatchAsync(released, ct);
        return true;
    }

    /// <summary>Expires offers past their lease and moves their orders on (a bundle whole). Returns the number expired (a bundle counts once).</summary>
    public async Task<int> ExpireDueOffersAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // Only the zones this node dispatches, each expiry fenced by the zone's lease.
        var led = leadership.Led();
        var due = await db.Offers.AsNoTracking().Where(f => f.Status == OfferStatus.Pending && f.ExpiresAt <= now)
            .Join(db.Orders.Where(o => led.Contains(o.Zone)), f => f.OrderId, o => o.Id, (f, o) => new { f.Id, f.OrderId, f.CourierId, f.BundleId, f.ExpiresAt, o.Zone })
            .OrderBy(f => f.ExpiresAt).Take(500).ToListAsync(ct);
        var expired = 0;
        // A bundle's rows expire together, told to the courier once by the bundle's id.
        foreach (var offer in due.DistinctBy(f => f.BundleId ?? f.Id))
        {
            if (leadership.FenceFor(offer.Zone) is not { } fence) continue;
            var answer = await OfferAnswerWriter.AnswerAsync(db, offer.Id, offer.OrderId, offer.BundleId, OfferStatus.Expired, null, $"offer to courier {offer.CourierId:N} expired", now, ct,
                new OfferWithdrawal(offer.BundleId ?? offer.Id, offer.OrderId, offer.CourierId, "The offer expired."), fence);
            if (!answer.Answered) continue;
            expired++;
            foreach (var released in answer.Released) await rounds.DispatchAsync(released, ct);
        }
        return expired;
    }

    /// <summary>
    /// A courier who went offline (or silent past the stale limit) loses every pending offer at once: each is withdrawn
    /// (conditionally, so an accept or another node's withdrawal that came first wins; a bundle whole), the courier is told,
    /// and the orders move on as after a decline. Returns the number withdrawn (a bundle counts once).
    /// </summary>
    public async Task<int> WithdrawOffersOfAsync(Guid courierId, string reason, string toldCourier, CancellationToken ct)
    {
        var (withdrawn, released) = await WithdrawStoredAsync(courierId, reason, toldCourier, ct);
        foreach (var orderId in released) await rounds.DispatchAsync(orderId, ct);
        return withdrawn;
    }

    /// <summary>
    /// The PostgreSQL part of <see cref="WithdrawOffersOfAsync"/> alone (no Redis): the offers withdrawn, each with the
    /// courier's notice in the outbox; returns how many and the orders released, which the caller offers again.
    /// </summary>
    public async Task<(int Withdrawn, List<Guid> Released)> WithdrawStoredAsync(Guid courierId, string reason, string toldCourier, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var pending = await db.Offers.AsNoTracking().Where(f => f.CourierId == courierId && f.Status == OfferStatus.Pending)
            .Select(f => new { f.Id, f.OrderId, f.BundleId }).ToListAsync(ct);
        var withdrawn = 0;
        var released = new List<Guid>();
        foreach (var offer in pending.DistinctBy(f => f.BundleId ?? f.Id))
        {
            var answer = await OfferAnswerWriter.AnswerAsync(db, offer.Id, offer.OrderId, offer.BundleId, OfferStatus.Withdrawn, reason, $"offer to courier {courierId:N} withdrawn: {reason}", now, ct,
                new OfferWithdrawal(offer.BundleId ?? offer.Id, offer.OrderId, courierId, toldCourier));
            if (!answer.Answered) continue;
            withdrawn++;
            released.AddRange(answer.Released);
        }
        if (withdrawn > 0) LogWithdrawn(logger, withdrawn, courierId, reason);
        return (withdrawn, released);
    }

    /// <summary>Why an accept (or a decline) of this offer or bundle came too late, from what became of it.</summary>
    private static async Task<Outcome<AcceptResult>> ExplainLostAcceptAsync(DispatchDbContext db, Guid offerId, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.Offers.AsNoTracking().Where(f => f.Id == offerId || f.BundleId == offerId).ToListAsync(ct);
        // A bundle's rows were answered together; one that left it alone (a cancelled order) says least.
        var offer = rows.MinBy(f => f.Status switch
        {
            OfferStatus.Accepted => 0,
            OfferStatus.Declined => 1,
            OfferStatus.Expired => 2,
            OfferStatus.Pending => 3,
            _ => 4,
        })!;
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
