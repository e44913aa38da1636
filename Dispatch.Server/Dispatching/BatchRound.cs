using Dispatch.Core.Matching;
using Dispatch.Server.Fleet;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The batch strategy's round for a zone: every waiting order against every courier near it as one assignment (Core's
/// <see cref="BatchMatcher"/>), written in one transaction (<see cref="BatchOfferWriter"/>). Candidates come from Redis:
/// the zone's couriers read once when many orders wait, GEOSEARCH per order when few do.
/// </summary>
internal sealed partial class BatchRound(
    IDbContextFactory<DispatchDbContext> dbs,
    FleetReader locator,
    ZoneCourierCache zoneCouriers,
    CourierTrips trips,
    Routing.TravelTimes travelTimes,
    Zones.ZoneLeadership leadership,
    DecisionLog decisionLog,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<BatchRound> logger)
{
    /// <summary>
    /// One batch round for a zone: every waiting order without a pending offer against every courier near it, as one
    /// minimum-cost assignment (<see cref="BatchMatcher"/>); each matched order is offered to its courier. Couriers holding
    /// a pending offer sit the round out. Returns the number of offers made; <paramref name="timings"/>, when given, gets where the time went.
    /// </summary>
    public async Task<int> RunAsync(string zone, CancellationToken ct, BatchRoundTimings? timings = null)
    {
        if (leadership.FenceFor(zone) is not { } fence) return 0;
        var phase = System.Diagnostics.Stopwatch.StartNew();
        // Many orders: the zone's couriers (Redis) and the orders they hold (a second connection) are read while this
        // connection reads the waiting orders — from the start when the zone's last round had many too.
        var many = _manyWaiting.ContainsKey(zone);
        if (many && options.Value.CollectBeforeBatchRound)
        {
            // Before the round's candidates are alive: mid-round a collection would copy them too (and met a quarter of the rounds).
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            if (timings is not null) timings.CollectMilliseconds = timings.Lap(phase, "collect");
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
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

        var requests = read.Select(x => DispatchRequests.For(x.Order, x.Offers)).ToList();
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
        planned = Bundled(planned);
        var split = System.Diagnostics.Stopwatch.StartNew();
        // The explanations (packed, ~0.56 kB each) are serialised on another core while the write's moves run on this one.
        var explanations = Task.Run(() =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var json = SerialiseExplanations(planned, DispatchExplanation.CostTerms(options.Value.Policy));
            if (timings is not null) timings.ExplanationsSerialiseMilliseconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return json;
        }, ct);
        // One transaction for the round (two at once for a large one), explanations included; orders whose status changed
        // since they were read are skipped, not offered. The couriers hear of their offers from the outbox (OfferPushes), off
        // the round's time and never lost to a crash.
        var moved = await BatchOfferWriter.WriteAsync(db, dbs, options.Value.BatchWriteSplitFrom, options.Value.BatchCommitTogether, waiting, planned, fence, now, explanations, ct, timings);
        var write = split.Elapsed.TotalMilliseconds;
        var made = planned.Where(p => moved.Contains(p.Order.Id)).ToList();
        // Why the others got no offer (a courier who frees up, late commitment, nobody eligible) is stored behind the round,
        // only where the reason changed since the order's last stored one (DecisionLog).
        decisionLog.EnqueueWaiting(zone, now, WaitingDecisions(waiting, decisions));
        if (logger.IsEnabled(LogLevel.Information))
        {
            foreach (var p in made) LogOffered(logger, p.Order.FormatNumber(), 1, p.Offer.CourierId, p.Offer.DistanceMetres);
        }
        if (timings is not null)
        {
            timings.WriteMilliseconds = write;
            timings.OffersMilliseconds = timings.Lap(phase, "offers");
            timings.Waiting = waiting.Count;
            timings.Offers = made.Count;
        }
        LogBatch(logger, zone, waiting.Count, made.Count);
        return made.Count;
    }

    /// <summary>
    /// Between rounds of many orders in <paramref name="zone"/> (its last round had many): a gen-0 collection
    /// (<see cref="DispatchOptions.CollectBetweenBatchRounds"/>), so the next round meets a fresh gen-0 budget rather than a
    /// collection mid-round. Returns its milliseconds (0 when none). Every thread pauses for it, while no round runs here.
    /// </summary>
    public double CollectBetweenRounds(string zone)
    {
        if (!options.Value.CollectBetweenBatchRounds || !_manyWaiting.ContainsKey(zone)) return 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Orders the round gave one courier are one trip from one pickup (<see cref="BatchMatcher"/>: a bundle, or orders riding
    /// along): one bundle offer, answered whole (its rows share a <see cref="OfferRecord.BundleId"/>), its rows side by side so
    /// a write split in two keeps them in one transaction.
    /// </summary>
    private static List<PlannedOffer> Bundled(List<PlannedOffer> planned)
    {
        var trips = planned.GroupBy(p => p.Offer.CourierId).ToList();
        if (trips.Count == planned.Count) return planned;
        var result = new List<PlannedOffer>(planned.Count);
        foreach (var trip in trips)
        {
            var bundle = trip.Skip(1).Any() ? Guid.CreateVersion7() : (Guid?)null;
            foreach (var p in trip)
            {
                p.Offer.BundleId = bundle;
                result.Add(p);
            }
        }
        return result;
    }

    /// <summary>The round's orders that got no courier this round, with why.</summary>
    private static List<(Guid OrderId, DispatchExplanation Explanation)> WaitingDecisions(List<OrderRecord> waiting, IReadOnlyList<BatchDecision> decisions)
    {
        var result = new List<(Guid, DispatchExplanation)>();
        for (var i = 0; i < waiting.Count; i++)
        {
            if (decisions[i].Winner is null) result.Add((waiting[i].Id, decisions[i].Explanation));
        }
        return result;
    }

    /// <summary>The planned offers' explanations as stored (packed); null (and logged) if one cannot be written: the offers matter more.</summary>
    private byte[][]? SerialiseExplanations(List<PlannedOffer> planned, string costTerms)
    {
        try
        {
            return [.. planned.Select(p => StoredExplanation.Write(p.Explanation, costTerms))];
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            LogExplanationsFailed(logger, planned.Count, ex);
            return null;
        }
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
    /// Every order ranked against the couriers near it, ring by ring as <see cref="OfferRounds"/> does for one order: an
    /// order whose ring holds nobody who may take it by every rule (trip rules included) is searched again in the next ring.
    /// Many orders: searched in the zone's grid (<paramref name="grid"/>: its couriers read once and completed with their
    /// trips, those sitting out left out before) and ranked in the same step on every core, so no order's candidates are
    /// kept (a collection during the round copies what is alive). A few: GEOSEARCH per ring for all of them at once
    /// (<see cref="FleetReader.NearestManyAsync"/>), without the couriers in <paramref name="sittingOut"/>.
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

    // Debug: the retry loop asks again every 2 s while no courier is free, which would flood an Information log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch round in zone {Zone}: {Waiting} waiting order(s), {Offers} offer(s) made")]
    private static partial void LogBatch(ILogger logger, string zone, int waiting, int offers);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the explanations of {Count} batch offer(s); the offers are made without them")]
    private static partial void LogExplanationsFailed(ILogger logger, int count, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} offered to {Count} courier(s), best {CourierId} at {Distance:0} m")]
    private static partial void LogOffered(ILogger logger, string number, int count, Guid courierId, double distance);
}
