using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Sequential and broadcast dispatch: one paid order at a time is offered to the best eligible courier (sequential) or the
/// k best (broadcast), searching in widening rings. Core ranks; this class gathers candidates from Redis and writes the
/// order's move, its offers and the decision in one transaction. The couriers hear of their offers from the outbox
/// (<see cref="OfferPushes"/>), so a crash after the commit loses no push.
/// </summary>
internal sealed partial class OfferRounds(
    IDbContextFactory<DispatchDbContext> dbs,
    FleetReader locator,
    CourierTrips trips,
    Routing.TravelTimes travelTimes,
    ZoneStrategies strategies,
    DispatchMetrics metrics,
    Dispatch.Core.Zones.ZoneMap zones,
    Zones.ZoneLeadership leadership,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<OfferRounds> logger) : IOrderDispatch
{
    /// <summary>
    /// Finds the best eligible couriers for a paid order and offers it to them (sequential: one; broadcast: the k best).
    /// Under the batch strategy the order waits for the zone's next round (<see cref="BatchRound"/>). Returns the number of offers made.
    /// </summary>
    public async Task<int> DispatchAsync(Guid orderId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == orderId, ct);
        if (order is null || order.Status is not (OrderStatus.Paid or OrderStatus.Dispatching)) return 0;
        var strategy = strategies.For(order.Zone);
        if (strategy.Mode == DispatchMode.Batch) return 0;
        // Another node dispatches this zone: its retry takes the order within a couple of seconds.
        if (leadership.FenceFor(order.Zone) is not { } fence) return 0;
        var now = clock.GetUtcNow();

        if (order.Status == OrderStatus.Paid)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await fence.HoldAsync(db, ct)) return 0;
            if (!await MoveAsync(db, order, OrderStatus.Paid, OrderTrigger.StartDispatch, now, "dispatch", null, ct)) return 0;
            await tx.CommitAsync(ct);
        }

        var offers = await db.Offers.AsNoTracking().Where(f => f.OrderId == orderId).Select(f => new PastOffer(f.CourierId, f.Status, f.RespondedAt)).ToListAsync(ct);
        if (offers.Any(f => f.Status == OfferStatus.Pending)) return 0;
        var request = DispatchRequests.For(order, offers);

        var policy = options.Value.Policy;
        var (ranking, radius) = await RankWideningAsync(order.Zone, request, now, policy, ct);
        if (ranking.Eligible.Count == 0)
        {
            LogNoCourier(logger, order.FormatNumber(), radius, ranking.Excluded.Count);
            return 0;
        }
        if (CandidateRanker.HoldUntil(request, ranking.Eligible.MinBy(c => c.SecondsToPickup)!, now, policy) is { } hold)
        {
            LogHeld(logger, order.FormatNumber(), order.ReadyAt, hold);
            return 0;
        }
        var fanout = strategy.OffersPerRound;
        // A courier holds one pending offer at a time (a unique index says so): those holding one are passed over.
        var eligible = ranking.Eligible.Select(c => c.CourierId).ToList();
        var busy = await db.Offers.AsNoTracking().Where(f => f.Status == OfferStatus.Pending && eligible.Contains(f.CourierId)).Select(f => f.CourierId).ToListAsync(ct);
        IReadOnlyList<RankedCandidate> picks = [.. ranking.Eligible.Where(c => !busy.Contains(c.CourierId)).Take(fanout)];
        if (picks.Count == 0) return 0;
        return await OfferAsync(db, order, picks, DispatchExplanation.From(ranking, radius, fanout, policy), fence, now, ct);
    }

    /// <summary>Retries orders that are paid or dispatching without an open offer (no courier was free last time).</summary>
    public async Task<int> RetryUnassignedAsync(CancellationToken ct)
    {
        // Batch zones are served by their rounds: leaving them out here keeps a long batch queue from crowding out
        // the other zones' retries (the 200 oldest would all be batch orders) and saves loading each just to skip it.
        var batchZones = zones.All.Select(z => z.Name).Where(z => strategies.For(z).Mode == DispatchMode.Batch).ToList();
        var led = leadership.Led();
        List<Guid> waiting;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            waiting = await db.Orders.AsNoTracking()
                .Where(x => x.IsOpen && (x.Status == OrderStatus.Paid || x.Status == OrderStatus.Dispatching) && !batchZones.Contains(x.Zone) && led.Contains(x.Zone))
                .OrderBy(x => x.CreatedAt).Take(200).Select(x => x.Id).ToListAsync(ct);
        }
        var offered = 0;
        foreach (var id in waiting) offered += await DispatchAsync(id, ct);
        return offered;
    }

    /// <summary>Widening rings until one holds a courier who may take the order by every rule, trip rules included; that ring's ranking.</summary>
    private async Task<(Ranking Ranking, double Radius)> RankWideningAsync(string zone, DispatchRequest request, DateTimeOffset now, DispatchPolicy policy, CancellationToken ct)
    {
        var o = options.Value;
        var staleAfter = TimeSpan.FromSeconds(o.StaleAfterSeconds);
        Ranking ranking = new([], []);
        double radius = 0;
        foreach (var r in o.SearchRings)
        {
            ct.ThrowIfCancellationRequested();
            radius = r;
            var candidates = await locator.NearestAsync(zone, request.Pickup, r, o.CandidateCount);
            // The trip rules (hot food and frozen goods, cold chain, shift end, delay to orders on board) count too: a ring
            // whose couriers all fail them widens like an empty one.
            if (!candidates.Any(c => CandidateRanker.Exclude(request, c.Courier, now, staleAfter) is null)) continue;
            ranking = CandidateRanker.Rank(request, await trips.CompleteAsync(candidates, now, ct), now, staleAfter, travelTimes.For(zone), policy);
            if (ranking.Eligible.Count > 0) break;
        }
        return (ranking, radius);
    }

    /// <summary>Writes the offers, the decision and the order's move to Offered (whose outbox row pushes the offers) in one transaction.</summary>
    private async Task<int> OfferAsync(DispatchDbContext db, OrderRecord order, IReadOnlyList<RankedCandidate> picks, DispatchExplanation explanation,
        Zones.ZoneFence fence, DateTimeOffset now, CancellationToken ct)
    {
        var expires = now.AddSeconds(options.Value.OfferTimeoutSeconds);
        var records = picks.Select((p, i) => new OfferRecord
        {
            Id = Guid.CreateVersion7(),
            OrderId = order.Id,
            CourierId = p.CourierId,
            Status = OfferStatus.Pending,
            CreatedAt = now,
            ExpiresAt = expires,
            Rank = i,
            DistanceMetres = p.DistanceMetres,
            Cost = p.Cost,
        }).ToList();

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var note = string.Join("; ", picks.Select(p => $"courier {p.CourierId:N} at {p.DistanceMetres:0} m, ~{p.SecondsToPickup:0} s to pickup"));
            if (!await fence.HoldAsync(db, ct)) return 0;
            // The offers are added first so that the move's SaveChanges stores them with its event and outbox rows.
            db.Offers.AddRange(records);
            db.DispatchDecisions.Add(new DispatchDecisionRecord
            {
                OrderId = order.Id,
                At = now,
                Explanation = StoredExplanation.Write(explanation, DispatchExplanation.CostTerms(options.Value.Policy)),
            });
            try
            {
                if (!await MoveAsync(db, order, OrderStatus.Dispatching, OrderTrigger.Offer, now, "dispatch", note, ct)) return 0;
            }
            catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // A courier was offered another order meanwhile (a neighbouring zone's dispatcher): the retry picks again.
                return 0;
            }
            await tx.CommitAsync(ct);
        }

        LogOffered(logger, order.FormatNumber(), records.Count, picks[0].CourierId, picks[0].DistanceMetres);
        metrics.OffersMade(records.Count);
        return records.Count;
    }

    /// <summary>The order's move from <paramref name="from"/> (its status by now, whatever was read); false when it was no longer there.</summary>
    private static Task<bool> MoveAsync(DispatchDbContext db, OrderRecord order, OrderStatus from, OrderTrigger trigger, DateTimeOffset now, string actor, string? note, CancellationToken ct) =>
        OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order) with { Status = from }, trigger, actor, now) { Note = note }, ct);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {Number}: goods ready at {ReadyAt}; held until {Hold} (late commitment)")]
    private static partial void LogHeld(ILogger logger, string number, DateTimeOffset? readyAt, DateTimeOffset hold);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {Number}: no eligible courier within {Radius} m ({Excluded} excluded); will retry")]
    private static partial void LogNoCourier(ILogger logger, string number, double radius, int excluded);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} offered to {Count} courier(s), best {CourierId} at {Distance:0} m")]
    private static partial void LogOffered(ILogger logger, string number, int count, Guid courierId, double distance);
}
