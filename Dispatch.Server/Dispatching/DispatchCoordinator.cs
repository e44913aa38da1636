using Dispatch.Core.Contracts;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Couriers;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Redis;
using Dispatch.Server.Tracking;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Offers orders to couriers and settles the answers. Core ranks; this class gathers candidates from Redis,
/// persists offers and decisions in Postgres, and notifies couriers and customers.
/// Accept is one conditional UPDATE on the order row: of two simultaneous accepts exactly one wins.
/// </summary>
public sealed partial class DispatchCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    CourierLocator locator,
    ZoneCourierCache zoneCouriers,
    CourierTrips trips,
    OnlineCouriers sessions,
    CourierLoad load,
    AssignmentBook assignments,
    Routing.RoutePlanner routes,
    Routing.TravelTimes travelTimes,
    IHubContext<CourierHub, ICourierClient> courierHub,
    ZoneStrategies strategies,
    DecisionLog decisionLog,
    Dispatch.Core.Zones.ZoneMap zones,
    Zones.ZoneLeadership leadership,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<DispatchCoordinator> logger)
{
    /// <summary>
    /// Finds the best eligible couriers for a paid order and offers it to them (sequential: one; broadcast: the k best).
    /// Under the batch strategy the order waits for the zone's next round (<see cref="DispatchBatchAsync"/>). Returns the number of offers made.
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
        var request = Request(order, offers);

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

    /// <summary>
    /// One batch round for a zone: every waiting order without a pending offer against every courier near it, as one
    /// minimum-cost assignment (<see cref="BatchMatcher"/>); each matched order is offered to its courier. Couriers holding
    /// a pending offer sit the round out. Returns the number of offers made; <paramref name="timings"/>, when given, gets where the time went.
    /// </summary>
    public async Task<int> DispatchBatchAsync(string zone, CancellationToken ct, BatchRoundTimings? timings = null)
    {
        if (leadership.FenceFor(zone) is not { } fence) return 0;
        var phase = System.Diagnostics.Stopwatch.StartNew();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // Many orders: the zone's couriers (Redis) and the orders they hold (a second connection) are read while this
        // connection reads the waiting orders — from the start when the zone's last round had many too.
        var many = _manyWaiting.ContainsKey(zone);
        var zoneRead = many ? ReadZoneAsync(zone, now, ct) : null;
        // Couriers holding a pending offer sit the round out (read on a third connection; after the waiting orders when the
        // zone was quiet, so an idle zone's round stays one query).
        var busyRead = many ? BusyCouriersAsync(ct) : null;
        // With the offers each order had before (decliners, couriers who let it run out) in the same query: one round trip.
        await db.Database.OpenConnectionAsync(ct);
        var read = await WaitingOrders.ReadAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), zone, MaxWaitingPerRound, ct);
        var waiting = read.Select(x => x.Order).ToList();
        if (waiting.Count >= BulkSearchFromOrders) _manyWaiting[zone] = true;
        else _manyWaiting.TryRemove(zone, out _);
        if (waiting.Count == 0)
        {
            if (busyRead is not null) await busyRead;
            if (zoneRead is not null) await zoneRead;
            return 0;
        }
        zoneRead ??= waiting.Count >= BulkSearchFromOrders ? ReadZoneAsync(zone, now, ct) : null;
        busyRead ??= BusyCouriersAsync(ct);
        var busy = await busyRead;
        if (timings is not null) timings.LoadMilliseconds = timings.Lap(phase, "load");

        var requests = read.Select(x => Request(x.Order, x.Offers)).ToList();
        var zoneCouriers = zoneRead is null ? null : await zoneRead;
        // The couriers holding a pending offer sit the round out: they are not in the grid at all.
        var index = zoneCouriers is null ? null : new NearbyCouriers(zoneCouriers.Couriers.Where(c => !busy.Contains(c.Courier.CourierId)));
        if (timings is not null)
        {
            timings.ZoneWaitMilliseconds = timings.Lap(phase, "zone");
            timings.ZoneMilliseconds = zoneCouriers?.Milliseconds ?? 0;
            timings.ZoneRedisMilliseconds = zoneCouriers?.RedisMilliseconds ?? 0;
        }
        var ranked = await RoundCandidatesAsync(zone, requests, now, busy, index, timings, ct);
        if (timings is not null) timings.CandidatesMilliseconds = timings.Lap(phase, "candidates");
        var decisions = BatchMatcher.MatchRanked(ranked, now, options.Value.Policy);
        if (timings is not null) timings.MatchMilliseconds = timings.Lap(phase, "match");

        var expires = now.AddSeconds(options.Value.OfferTimeoutSeconds);
        var planned = new List<PlannedOffer>();
        for (var i = 0; i < waiting.Count; i++)
        {
            if (decisions[i].Winner is not { } winner) continue;
            var offer = new OfferRecord
            {
                Id = Guid.CreateVersion7(),
                OrderId = waiting[i].Id,
                CourierId = winner.CourierId,
                Status = OfferStatus.Pending,
                CreatedAt = now,
                ExpiresAt = expires,
                Rank = 0,
                DistanceMetres = winner.DistanceMetres,
                Cost = winner.Cost,
            };
            planned.Add(new PlannedOffer(waiting[i], offer, decisions[i].Explanation,
                $"courier {winner.CourierId:N} at {winner.DistanceMetres:0} m, ~{winner.SecondsToPickup:0} s to pickup"));
        }
        var split = System.Diagnostics.Stopwatch.StartNew();
        // One transaction for the whole round; orders whose status changed since they were read are skipped, not offered.
        var moved = await BatchOfferWriter.WriteAsync(db, waiting, planned, fence, now, ct);
        var write = split.Elapsed.TotalMilliseconds;
        var made = planned.Where(p => moved.Contains(p.Order.Id)).ToList();
        // The explanations are stored behind the round (a few kB each); the explanation API waits for them.
        decisionLog.Enqueue(now, [.. made.Select(p => (p.Order.Id, p.Explanation))]);
        await Task.WhenAll(made.Select(p => PushOfferAsync(p.Order, p.Offer, now)));
        if (timings is not null)
        {
            timings.WriteMilliseconds = write;
            timings.PushMilliseconds = split.Elapsed.TotalMilliseconds - write;
            timings.OffersMilliseconds = timings.Lap(phase, "offers");
            timings.Waiting = waiting.Count;
            timings.Offers = made.Count;
        }
        LogBatch(logger, zone, waiting.Count, made.Count);
        return made.Count;
    }

    /// <summary>A batch round takes at most this many waiting orders, oldest first; the rest wait for the next round.</summary>
    public const int MaxWaitingPerRound = 1000;

    /// <summary>From this many waiting orders a batch round reads the zone's couriers once instead of searching per order.</summary>
    public const int BulkSearchFromOrders = 16;

    /// <summary>Zones whose last batch round had at least <see cref="BulkSearchFromOrders"/> waiting orders.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _manyWaiting = new();

    private async Task<HashSet<Guid>> BusyCouriersAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.Offers.AsNoTracking().Where(f => f.Status == OfferStatus.Pending).Select(f => f.CourierId).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>A zone's couriers, each completed with the orders they hold and their earnings, and how long reading them took.</summary>
    private sealed record ZoneCouriers(IReadOnlyList<Candidate> Couriers, double Milliseconds, double RedisMilliseconds);

    private async Task<ZoneCouriers> ReadZoneAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // What couriers hold does not depend on who is in the zone: read while the zone's couriers are taken (read whole
        // from Redis on the zone's first round), and their earnings beside it once they are known.
        var heldRead = trips.AllHeldAsync(ct);
        var couriers = await zoneCouriers.AllInZoneAsync(zone);
        var redis = watch.Elapsed.TotalMilliseconds;
        var completed = await trips.CompleteAsync([.. couriers.Select(c => new Candidate(c, 0))], now, ct, heldRead);
        return new ZoneCouriers(completed, watch.Elapsed.TotalMilliseconds, redis);
    }

    /// <summary>
    /// Every order ranked against the couriers near it, ring by ring as <see cref="RankWideningAsync"/> does for one order: an
    /// order whose ring holds nobody who may take it by every rule (trip rules included) is searched again in the next ring.
    /// Many orders: searched in the zone's grid (<paramref name="grid"/>: its couriers read once and completed with their
    /// trips, those sitting out left out before) and ranked in the same step on every core, so no order's candidates are
    /// kept (a collection during the round copies what is alive). A few: GEOSEARCH per ring for all of them at once
    /// (<see cref="CourierLocator.NearestManyAsync"/>), without the couriers in <paramref name="sittingOut"/>.
    /// </summary>
    private async Task<RankedOrder[]> RoundCandidatesAsync(string zone, List<DispatchRequest> requests, DateTimeOffset now,
        HashSet<Guid> sittingOut, NearbyCouriers? grid, BatchRoundTimings? timings, CancellationToken ct)
    {
        var o = options.Value;
        var staleAfter = TimeSpan.FromSeconds(o.StaleAfterSeconds);
        var travel = travelTimes.For(zone);
        var policy = o.Policy;
        var ranked = new RankedOrder[requests.Count];
        var open = Enumerable.Range(0, requests.Count).ToArray();
        var searches = 0;
        var rankWatch = new System.Diagnostics.Stopwatch();
        for (var ring = 0; ring < o.SearchRings.Length && open.Length > 0; ring++)
        {
            ct.ThrowIfCancellationRequested();
            var radius = o.SearchRings[ring];
            var last = ring == o.SearchRings.Length - 1;
            var current = open;
            if (grid is not null)
            {
                rankWatch.Start();
                BatchMatcher.For(current.Length, k =>
                {
                    var near = t_near ??= new List<Candidate>(o.CandidateCount);
                    var request = requests[current[k]];
                    grid.Nearest(request.Pickup, radius, o.CandidateCount, near);
                    ranked[current[k]] = new RankedOrder(request, CandidateRanker.Rank(request, near, now, staleAfter, travel, policy, withFreeing: true), radius);
                });
                rankWatch.Stop();
            }
            else
            {
                var near = await locator.NearestManyAsync(zone, [.. current.Select(i => requests[i].Pickup)], radius, o.CandidateCount);
                var distinct = near.SelectMany(c => c).Where(c => !sittingOut.Contains(c.Courier.CourierId)).DistinctBy(c => c.Courier.CourierId).ToList();
                var completed = (await trips.CompleteAsync(distinct, now, ct)).ToDictionary(c => c.Courier.CourierId);
                rankWatch.Start();
                BatchMatcher.For(current.Length, k => ranked[current[k]] = new RankedOrder(requests[current[k]],
                    CandidateRanker.Rank(requests[current[k]], Complete(near[k], completed, sittingOut), now, staleAfter, travel, policy, withFreeing: true), radius));
                rankWatch.Stop();
            }
            searches += current.Length;
            // Nobody in this ring may take it, by any rule: the next ring, as sequential dispatch widens.
            open = last ? [] : [.. current.Where(i => ranked[i].Ranking.Eligible.Count == 0)];
        }
        if (timings is not null)
        {
            timings.GeoSearches = searches;
            timings.RankMilliseconds = rankWatch.Elapsed.TotalMilliseconds;
        }
        return ranked;
    }

    /// <summary>One grid answer per thread at a time: it is ranked at once and not kept.</summary>
    [ThreadStatic]
    private static List<Candidate>? t_near;

    /// <summary>The candidates with their trips and earnings (when known), without those sitting the round out.</summary>
    private static List<Candidate> Complete(IReadOnlyList<Candidate> found, Dictionary<Guid, Candidate> trips, HashSet<Guid> sittingOut)
    {
        var result = new List<Candidate>(found.Count);
        foreach (var c in found)
        {
            if (sittingOut.Contains(c.Courier.CourierId)) continue;
            result.Add(trips.TryGetValue(c.Courier.CourierId, out var full) ? c with { Carrying = full.Carrying, EarnedCentsPerHour = full.EarnedCentsPerHour } : c);
        }
        return result;
    }

    /// <summary>Tells the courier about the offer and the customer that the order is offered.</summary>
    private async Task PushOfferAsync(OrderRecord order, OfferRecord offer, DateTimeOffset now)
    {
        await courierHub.Clients.User(offer.CourierId.ToString()).OfferReceived(OfferMessageFor(order, offer));
        LogOffered(logger, order.FormatNumber(), 1, offer.CourierId, offer.DistanceMetres);
    }

    private static OfferMessage OfferMessageFor(OrderRecord order, OfferRecord offer)
    {
        var pickup = OrderEvents.ToLatLon(order.Pickup);
        var dropoff = OrderEvents.ToLatLon(order.Dropoff);
        return new OfferMessage(offer.Id, order.Id, order.FormatNumber(), order.Kind, pickup.Lat, pickup.Lon, order.PickupAddress,
            dropoff.Lat, dropoff.Lon, order.DropoffAddress, offer.DistanceMetres, order.PromisedAt, offer.ExpiresAt, order.PriceCapCents,
            Errands.OrderStops.Views(order));
    }


    /// <summary>The order as dispatch sees it: who was offered it already, and when decliners (or couriers who let it run out) answered.</summary>
    private static DispatchRequest Request(OrderRecord order, IReadOnlyList<PastOffer> offers)
    {
        var declinedAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var f in offers)
        {
            if (f.Status is not (OfferStatus.Declined or OfferStatus.Expired) || f.RespondedAt is not { } at) continue;
            if (!declinedAt.TryGetValue(f.CourierId, out var seen) || at > seen) declinedAt[f.CourierId] = at;
        }
        return new DispatchRequest(order.Id, order.Kind, order.RequiresColdChain, OrderEvents.ToLatLon(order.Pickup),
            offers.Select(f => f.CourierId).ToHashSet(), declinedAt, OrderEvents.ToLatLon(order.Dropoff), order.ReadyAt, order.PromisedAt,
            Errands.OrderStops.Remaining(order), PlacedAt: order.CreatedAt, Reference: order.FormatNumber());
    }

    /// <summary>Widening rings until one holds a courier who may take the order by every rule, trip rules included; that ring's ranking.</summary>
    private async Task<(Ranking Ranking, double Radius)> RankWideningAsync(string zone, DispatchRequest request, DateTimeOffset now, Dispatch.Core.Matching.DispatchPolicy policy, CancellationToken ct)
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

    /// <summary>Writes the offers, the decision and the order's move to Offered in one transaction, then tells the couriers and the customer.</summary>
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
            if (!await MoveAsync(db, order, OrderStatus.Dispatching, OrderTrigger.Offer, now, "dispatch", note, ct)) return 0;
            db.Offers.AddRange(records);
            db.DispatchDecisions.Add(new DispatchDecisionRecord
            {
                OrderId = order.Id,
                At = now,
                Explanation = ExplanationJson.Write(explanation),
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // A courier was offered another order meanwhile (a neighbouring zone's dispatcher): the retry picks again.
                return 0;
            }
            await tx.CommitAsync(ct);
        }

        foreach (var offer in records) await courierHub.Clients.User(offer.CourierId.ToString()).OfferReceived(OfferMessageFor(order, offer));
        LogOffered(logger, order.FormatNumber(), records.Count, picks[0].CourierId, picks[0].DistanceMetres);
        return records.Count;
    }

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
            await tx.CommitAsync(ct);

            foreach (var other in others)
            {
                await courierHub.Clients.User(other.CourierId.ToString()).OfferWithdrawn(new OfferWithdrawnMessage(other.Id, offer.OrderId, "Another courier accepted this order first."));
            }
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(x => x.Id == offer.OrderId, ct);
        var via = Errands.OrderStops.Remaining(order);
        assignments.Upsert(courierId, new Assignment(order.Id, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff), OrderStatus.Accepted, Via: via));
        await load.ChangeAsync(courierId, +1, 0);
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
        var answer = await OfferAnswers.AnswerAsync(db, offerId, offer.OrderId, OfferStatus.Declined, reason, $"declined by courier {courierId:N}: {reason}", now, ct);
        if (!answer.Answered) return (await ExplainLostAcceptAsync(db, offerId, now, ct)).Failure!;
        LogDeclined(logger, offer.OrderId, courierId, reason);
        if (answer.Released) await DispatchAsync(offer.OrderId, ct);
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
            var answer = await OfferAnswers.AnswerAsync(db, offer.Id, offer.OrderId, OfferStatus.Expired, null, $"offer to courier {offer.CourierId:N} expired", now, ct, fence);
            if (!answer.Answered) continue;
            expired++;
            await courierHub.Clients.User(offer.CourierId.ToString()).OfferWithdrawn(new OfferWithdrawnMessage(offer.Id, offer.OrderId, "The offer expired."));
            if (answer.Released) await DispatchAsync(offer.OrderId, ct);
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
            var answer = await OfferAnswers.AnswerAsync(db, offer.Id, offer.OrderId, OfferStatus.Withdrawn, reason, $"offer to courier {courierId:N} withdrawn: {reason}", now, ct);
            if (!answer.Answered) continue;
            withdrawn++;
            await courierHub.Clients.User(courierId.ToString()).OfferWithdrawn(new OfferWithdrawnMessage(offer.Id, offer.OrderId, toldCourier));
            if (answer.Released) await DispatchAsync(offer.OrderId, ct);
        }
        if (withdrawn > 0) LogWithdrawn(logger, withdrawn, courierId, reason);
        return withdrawn;
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

    /// <summary>The order's move from <paramref name="from"/> (its status by now, whatever was read); false when it was no longer there.</summary>
    private static Task<bool> MoveAsync(DispatchDbContext db, OrderRecord order, OrderStatus from, OrderTrigger trigger, DateTimeOffset now, string actor, string? note, CancellationToken ct) =>
        OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order) with { Status = from }, trigger, actor, now) { Note = note }, ct);

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

    // Debug: the retry loop asks again every 2 s while no courier is free, which would flood an Information log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch round in zone {Zone}: {Waiting} waiting order(s), {Offers} offer(s) made")]
    private static partial void LogBatch(ILogger logger, string zone, int waiting, int offers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {Number}: goods ready at {ReadyAt}; held until {Hold} (late commitment)")]
    private static partial void LogHeld(ILogger logger, string number, DateTimeOffset? readyAt, DateTimeOffset hold);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {Number}: no eligible courier within {Radius} m ({Excluded} excluded); will retry")]
    private static partial void LogNoCourier(ILogger logger, string number, double radius, int excluded);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} offered to {Count} courier(s), best {CourierId} at {Distance:0} m")]
    private static partial void LogOffered(ILogger logger, string number, int count, Guid courierId, double distance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} accepted by courier {CourierId}")]
    private static partial void LogAccepted(ILogger logger, string number, Guid courierId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrew {Count} pending offer(s) of courier {CourierId}: {Reason}")]
    private static partial void LogWithdrawn(ILogger logger, int count, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} declined by courier {CourierId}: {Reason}")]
    private static partial void LogDeclined(ILogger logger, Guid orderId, Guid courierId, string reason);
}
