using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Matching;

/// <summary>
/// The dispatch decision for one order. Feasibility first: online, not asked again too soon, fresh position, equipment,
/// capacity, and — once the courier's trip is planned with the order in it (<see cref="TripPlanner"/>) — frozen goods never
/// with hot food, every frozen order's cold-chain budget (counting every stop before its hand-over), the courier's shift
/// end, a limit on how much later the orders already on board would arrive, and reaching the pickup soon enough after the
/// goods are ready (<see cref="DispatchPolicy.PickupWithin"/>). Then cost, as named terms in seconds
/// (<see cref="RankedCandidate"/>): travel to pickup, delay to the orders on board, waiting for the goods, lateness,
/// fairness, and a penalty for asking again a courier who declined.
/// </summary>
public static class CandidateRanker
{
    /// <summary>Without a road network: crow-fly distance × this factor.</summary>
    public const double DetourFactor = StraightLineTravelTime.DefaultDetourFactor;

    /// <summary>Each order already on board, when the courier's orders are unknown, costs as much as this many seconds of extra driving.</summary>
    public const double LoadPenaltySecondsPerOrder = 240;

    /// <summary>A courier who declined an order (or let its offer run out) is not asked again for it before this.</summary>
    public static readonly TimeSpan DeclineCoolDown = TimeSpan.FromMinutes(3);

    /// <summary>After the cool-down they may be asked again, costing as much as this many seconds of extra driving.</summary>
    public const double DeclinePenaltySeconds = 300;

    /// <summary>
    /// A ranking's working lists, one set per thread: a batch round ranks a thousand orders on every core, and these were
    /// the larger part of each ranking's garbage. Taken while a ranking runs, so a nested one gets its own.
    /// </summary>
    private sealed class Scratch
    {
        public readonly List<Candidate> Fit = new(64);
        public readonly List<Freeing?> Frees = new(64);
        public readonly List<Exclusion> Excluded = new(64);
        public readonly List<(RankedCandidate Ranked, double? Earned)> Terms = new(64);
        public double[] Seconds = new double[64];
        public readonly TripWorkspace Trip = new();
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <param name="withFreeing">
    /// For a batch round's plan: a courier at capacity whose trip is known (<see cref="Candidate.Carrying"/>) and ends within
    /// <see cref="DispatchPolicy.FreeingHorizon"/> is ranked as if idle at its last drop-off from then
    /// (<see cref="RankedCandidate.FreeAt"/>); <see cref="BatchMatcher"/> waits for such a courier, never offers them the order.
    /// </param>
    public static Ranking Rank(DispatchRequest request, IEnumerable<Candidate> candidates, DateTimeOffset now, TimeSpan staleAfter, ITravelTimeModel? travel = null, DispatchPolicy? policy = null,
        bool withFreeing = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(candidates);
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        try
        {
            return Rank(request, candidates, now, staleAfter, travel, policy ?? DispatchPolicy.Default, withFreeing, scratch);
        }
        finally
        {
            t_scratch = scratch;
        }
    }

    private static Ranking Rank(DispatchRequest request, IEnumerable<Candidate> candidates, DateTimeOffset now, TimeSpan staleAfter, ITravelTimeModel? travel, DispatchPolicy policy,
        bool withFreeing, Scratch scratch)
    {
        var fit = scratch.Fit;
        var frees = scratch.Frees;
        var excluded = scratch.Excluded;
        fit.Clear();
        frees.Clear();
        excluded.Clear();
        foreach (var candidate in candidates)
        {
            var reason = Exclude(request, candidate.Courier, now, staleAfter) ?? ExcludeMix(request, candidate.Carrying);
            var free = reason is not null && withFreeing ? FreeingOf(request, candidate, now, staleAfter, policy) : null;
            if (reason is null || free is not null)
            {
                fit.Add(candidate);
                frees.Add(free);
            }
            else
            {
                excluded.Add(new Exclusion(candidate.Courier.CourierId, reason));
            }
        }
        // One call for all couriers: a road graph answers them with a single search from the pickup.
        // Without one, the GEOSEARCH distance × detour ÷ speed.
        double[] seconds;
        if (travel is not null)
        {
            var origins = new (LatLon, Vehicle)[fit.Count];
            for (var i = 0; i < fit.Count; i++) origins[i] = (frees[i]?.Place ?? fit[i].Courier.Position, fit[i].Courier.Vehicle);
            seconds = travel.SecondsTo(request.Pickup, origins);
        }
        else
        {
            if (scratch.Seconds.Length < fit.Count) scratch.Seconds = new double[Math.Max(fit.Count, scratch.Seconds.Length * 2)];
            seconds = scratch.Seconds;
            for (var i = 0; i < fit.Count; i++)
            {
                var metres = frees[i] is { } f ? GeoMath.DistanceMetres(f.Place, request.Pickup) : fit[i].DistanceMetres;
                seconds[i] = metres * DetourFactor / VehicleSpeeds.TypicalMetresPerSecond(fit[i].Courier.Vehicle);
            }
        }

        // Every term but fairness first: fairness needs every eligible courier's earnings.
        var terms = scratch.Terms;
        terms.Clear();
        OwnTrip? own = null;
        for (var i = 0; i < fit.Count; i++)
        {
            var c = fit[i];
            var decline = request.DeclinedAt?.ContainsKey(c.Courier.CourierId) == true ? DeclinePenaltySeconds : 0;
            if (request.Dropoff is not { } dropoff)
            {
                if (TooFar(request, now.AddSeconds(seconds[i]), now, policy) is { } far)
                {
                    excluded.Add(new Exclusion(c.Courier.CourierId, far));
                    continue;
                }
                terms.Add((new RankedCandidate(c.Courier.CourierId, c.DistanceMetres, seconds[i], c.Courier.ActiveOrders * policy.LoadPenaltySecondsPerOrder, decline), c.EarnedCentsPerHour));
                continue;
            }
            var (ranked, why) = Evaluate(request, dropoff, own ??= new OwnTrip(request, dropoff, now), c, frees[i], seconds[i], decline, now, policy, scratch.Trip);
            if (why is not null)
            {
                excluded.Add(new Exclusion(c.Courier.CourierId, why));
                continue;
            }
            terms.Add((ranked!.Value, c.EarnedCentsPerHour));
        }

        var (known, sum) = (0, 0.0);
        foreach (var (_, earned) in terms)
        {
            if (earned is not { } e) continue;
            known++;
            sum += e;
        }
        // Arrays, which an explanation shows as they are (no copy per order).
        var eligible = new RankedCandidate[terms.Count];
        for (var i = 0; i < eligible.Length; i++)
        {
            var (ranked, earned) = terms[i];
            var fairness = known < 2 || earned is not { } e
                ? 0
                : Math.Round(Math.Clamp((e - (sum / known)) / 100 * policy.FairnessSecondsPerEuroPerHour, -policy.FairnessMaxSeconds, policy.FairnessMaxSeconds), 1);
            eligible[i] = ranked with { FairnessSeconds = fairness };
        }
        Array.Sort(eligible, static (a, b) =>
        {
            var byCost = a.Cost.CompareTo(b.Cost);
            return byCost != 0 ? byCost : a.CourierId.CompareTo(b.CourierId);
        });
        return new Ranking(eligible, [.. excluded]);
    }

    /// <summary>Why a courier cannot take this order whatever their trip, or null when they can.</summary>
    public static string? Exclude(DispatchRequest request, CourierSnapshot courier, DateTimeOffset now, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(courier);
        if (courier.Activity == CourierActivity.Offline) return "offline";
        if (request.DeclinedAt?.TryGetValue(courier.CourierId, out var declined) == true)
        {
            var ago = now - declined;
            if (ago < DeclineCoolDown) return $"declined this order {(int)ago.TotalSeconds} s ago (asked again after {(int)DeclineCoolDown.TotalSeconds} s)";
        }
        else if (request.AlreadyOffered.Contains(courier.CourierId))
        {
            return "already offered this order";
        }
        if (now - courier.At > staleAfter) return $"position is stale ({(int)(now - courier.At).TotalSeconds} s old)";
        if (request.IsFrozen && courier.Equipment == Equipment.None) return "frozen goods need an insulated box or cooler";
        if (courier.ActiveOrders >= courier.Capacity) return $"at capacity ({courier.ActiveOrders}/{courier.Capacity})";
        if (courier.ShiftEndsAt is { } end && end <= now) return $"shift ended at {end:HH:mm} UTC";
        return null;
    }

    /// <summary>When and where a busy courier's trip ends.</summary>
    private readonly record struct Freeing(DateTimeOffset At, LatLon Place);

    /// <summary>
    /// A courier excluded only for being at capacity, whose trip is known and ends within the freeing horizon: when and
    /// where it ends (the planned trip's last stop). Null for any other courier.
    /// </summary>
    private static Freeing? FreeingOf(DispatchRequest request, Candidate candidate, DateTimeOffset now, TimeSpan staleAfter, DispatchPolicy policy)
    {
        var courier = candidate.Courier;
        if (candidate.Carrying is not { Count: > 0 } carried || courier.ActiveOrders < courier.Capacity) return null;
        if (Exclude(request, courier with { ActiveOrders = 0 }, now, staleAfter) is not null) return null;
        var plan = PlanWithout(courier.Position, carried, VehicleSpeeds.TypicalMetresPerSecond(courier.Vehicle), now, policy);
        if (plan.Stops.Count == 0) return null;
        var at = plan.FinishAt(now);
        if (at - now > policy.FreeingHorizon || (courier.ShiftEndsAt is { } end && at >= end)) return null;
        return new Freeing(at, plan.Stops[^1].At);
    }

    /// <summary>
    /// Why a courier at the pickup at <paramref name="arriveAt"/> comes too late for the goods (<see cref="DispatchPolicy.PickupWithin"/>
    /// plus the order's age), or null. Without it the first ring holding anyone, or a batch round's age credit, sent a walker
    /// half an hour away while a scooter further out would have been there first.
    /// </summary>
    private static string? TooFar(DispatchRequest request, DateTimeOffset arriveAt, DateTimeOffset now, DispatchPolicy policy)
    {
        var hot = request.Kind == OrderKind.HotFood && !request.IsFrozen;
        // Grows with the order's wait, so an order nobody faster comes for is still sent in the end.
        var age = request.PlacedAt is { } placed && placed < now ? now - placed : TimeSpan.Zero;
        var limit = (hot ? policy.HotFoodPickupWithin : policy.PickupWithin) + age;
        var from = request.ReadyAt is { } ready && ready > now ? ready : now;
        if (arriveAt - from <= limit) return null;
        var most = $"at most {limit.TotalMinutes:0} min{(hot ? " for hot food" : "")}{(age > TimeSpan.Zero ? $" placed {age.TotalMinutes:0} min ago" : "")}";
        return from == now
            ? $"{(arriveAt - now).TotalMinutes:0} min to the pickup ({most})"
            : $"at the pickup {(arriveAt - from).TotalMinutes:0} min after the goods are ready ({most})";
    }

    /// <summary>Frozen goods never ride with hot food, either way round.</summary>
    private static string? ExcludeMix(DispatchRequest request, IReadOnlyList<CarriedOrder>? carrying)
    {
        if (carrying is not { Count: > 0 }) return null;
        if (request.IsFrozen && carrying.Any(o => o.Kind == OrderKind.HotFood)) return "carries hot food; frozen goods never ride with hot food";
        if (request.Kind == OrderKind.HotFood && carrying.Any(o => o.IsFrozen)) return "carries frozen goods; hot food never rides with frozen goods";
        return null;
    }

    /// <summary>What every candidate's evaluation shares: the order as a trip stop, and its own path (pickup → its stops → drop-off).</summary>
    private sealed class OwnTrip(DispatchRequest request, LatLon dropoff, DateTimeOffset now)
    {
        public CarriedOrder Order { get; } = request.AsCarried(dropoff, now);

        /// <summary>Crow-fly metres of the order's own path.</summary>
        public double Metres { get; } = PathMetres(request.Pickup, request.Via, dropoff);

        public int ViaStops { get; } = request.Via?.Count ?? 0;

        private static double PathMetres(LatLon pickup, IReadOnlyList<LatLon>? via, LatLon dropoff)
        {
            var here = pickup;
            var metres = 0.0;
            foreach (var stop in via ?? [])
            {
                metres += GeoMath.DistanceMetres(here, stop);
                here = stop;
            }
            return metres + GeoMath.DistanceMetres(here, dropoff);
        }
    }

    /// <summary>Plans the courier's trip with the order in it: the cost terms, or why it is infeasible.</summary>
    private static (RankedCandidate? Ranked, string? Why) Evaluate(DispatchRequest request, LatLon dropoff, OwnTrip own, Candidate c, Freeing? free, double toPickup, double decline, DateTimeOffset now, DispatchPolicy policy,
        TripWorkspace trip)
    {
        var courier = c.Courier;
        var speed = VehicleSpeeds.TypicalMetresPerSecond(courier.Vehicle);
        // Pickup → the errand's own stops → drop-off, with nobody else's stops in between.
        var direct = (own.Metres * policy.DetourFactor / speed) + (own.ViaStops * policy.StopServiceSeconds);
        var order = own.Order;
        // A freeing courier has nothing on board once free: their trip with this order starts at their last drop-off.
        var carried = free is null ? c.Carrying ?? [] : [];
        var startAt = free?.At ?? now;
        DateTimeOffset arriveAt, pickupAt, dropoffAt;
        TripWorkspace? with = null;
        TripPlan? without = null;
        if (carried.Count == 0)
        {
            // Nothing on board (most couriers): the trip is the order alone, no planning needed — the same times
            // TripPlanner gives for a single order, without its allocations (a batch round evaluates tens of thousands).
            arriveAt = startAt.AddSeconds(toPickup);
            pickupAt = TripPlanner.HandedOverAndGone(arriveAt, order.ReadyAt, policy.StopServiceSeconds);
            dropoffAt = pickupAt.AddSeconds(direct + (policy.StopServiceSeconds / 2));
        }
        else
        {
            without = PlanWithout(courier.Position, carried, speed, now, policy);
            with = PlanWith(trip, request, order, courier.Position, carried, speed, toPickup, now, policy);
            arriveAt = with.PickupArrival(order.OrderId);
            pickupAt = with.PickupAt[order.OrderId];
            dropoffAt = with.DropoffAt[order.OrderId];
        }
        if (TooFar(request, arriveAt, now, policy) is { } far) return (null, far);
        var wait = order.ReadyAt is { } ready && ready > arriveAt ? (ready - arriveAt).TotalSeconds : 0;

        double load;
        double addedLateness = 0;
        if (free is not null)
        {
            load = 0;
        }
        else if (c.Carrying is null || with is null || without is null)
        {
            load = c.Carrying is null ? courier.ActiveOrders * policy.LoadPenaltySecondsPerOrder : 0;
        }
        else
        {
            load = 0;
            for (var i = 0; i < carried.Count; i++)
            {
                var o = carried[i];
                var before = without.DropoffAt[o.OrderId];
                var after = with.DropoffAt[o.OrderId];
                load += Math.Max(0, (after - before).TotalSeconds);
                addedLateness += Math.Max(0, (after - o.PromisedAt).TotalSeconds) - Math.Max(0, (before - o.PromisedAt).TotalSeconds);
            }
            for (var k = 0; k < with.PickupAt.Count; k++)
            {
                var o = with.PickupAt.KeyAt(k);
                // Frozen goods only: this order's, and those on board.
                if (o == order.OrderId ? !order.IsFrozen : !CarriesFrozen(carried, o)) continue;
                var onBoard = with.OnBoard(o);
                if (onBoard <= policy.ColdChainBudget) continue;
                // Only a breach this order causes counts: a direct trip that is long anyway, or one already over, is not this courier's doing.
                var alone = o == order.OrderId
                    ? TimeSpan.FromSeconds(direct + policy.StopServiceSeconds)
                    : without.OnBoard(o);
                if (onBoard > alone + TimeSpan.FromSeconds(1))
                    return (null, $"frozen goods would be {onBoard.TotalMinutes:0} min on board, over the {policy.ColdChainBudget.TotalMinutes:0}-min cold-chain budget");
            }
            var stops = with.DistinctStops();
            if (stops > policy.MaxTripStops)
                return (null, $"the trip would have {stops} stops to make (at most {policy.MaxTripStops} with a bundle)");
            if (load > policy.MaxAddedDelay.TotalSeconds)
                return (null, $"would delay the {carried.Count} order(s) on board by {load / 60:0.#} min in total (at most {policy.MaxAddedDelay.TotalMinutes:0})");
            // This order's own detour: the stops before its hand-over that a courier with nothing on board would not make.
            var directDropoffAt = pickupAt.AddSeconds(direct + (policy.StopServiceSeconds / 2));
            load += Math.Max(0, (dropoffAt - directDropoffAt).TotalSeconds);
        }
        if (courier.ShiftEndsAt is { } end && dropoffAt > end)
            return (null, $"shift ends at {end:HH:mm} UTC; this drop-off would be at {dropoffAt:HH:mm}");

        var lateness = Math.Max(0, (dropoffAt - (request.PromisedAt ?? DateTimeOffset.MaxValue)).TotalSeconds) + addedLateness;
        var untilPickup = free is { } f ? (f.At - now).TotalSeconds + toPickup + policy.FreeingMarginSeconds : toPickup;
        var distance = free is { } g ? GeoMath.DistanceMetres(g.Place, request.Pickup) : c.DistanceMetres;
        // Pre-formed bundles are for couriers with nothing on board (now, or once free); the others plan orders one by one.
        var bundleRoom = policy.MaxBundle <= 1 ? 0 : free is not null || (courier.ActiveOrders == 0 && carried.Count == 0) ? courier.Capacity : 0;
        return (new RankedCandidate(courier.CourierId, distance, Math.Round(untilPickup, 1), Math.Round(load, 1), decline,
            Math.Round(wait * policy.ReadyWaitWeight, 1), Math.Round(Math.Max(0, lateness) * policy.LatenessWeight, 1), PickupAt: pickupAt, DropoffAt: dropoffAt,
            FreeAt: free?.At, BundleRoom: bundleRoom), null);
    }

    /// <summary>Whether the order on board with this id is frozen goods.</summary>
    private static bool CarriesFrozen(IReadOnlyList<CarriedOrder> carried, Guid orderId)
    {
        for (var i = 0; i < carried.Count; i++)
        {
            var k = carried[i];
            if (k.OrderId == orderId && k.IsFrozen) return true;
        }
        return false;
    }

    /// <summary>
    /// The courier's trip planned with the order in it (crow-fly legs × detour, the travel model's leg to this pickup), in
    /// the ranking's workspace: read before the next candidate's plan replaces it.
    /// </summary>
    private static TripWorkspace PlanWith(TripWorkspace trip, DispatchRequest request, CarriedOrder order, LatLon start, IReadOnlyList<CarriedOrder> carried,
        double speed, double toPickup, DateTimeOffset now, DispatchPolicy policy)
    {
        var orders = trip.Orders(carried.Count + 1);
        for (var i = 0; i < carried.Count; i++) orders[i] = carried[i];
        orders[^1] = order;
        TripPlanner.PlanInto(trip, start, now, orders, new TravelLegs(start, request.Pickup, toPickup, policy.DetourFactor, speed), policy.StopServiceSeconds);
        return trip;
    }

    /// <summary>Crow-fly legs × detour, except the courier's leg to this pickup, which is the travel model's (road network when there is one).</summary>
    private readonly struct TravelLegs(LatLon start, LatLon pickup, double toPickup, double detourFactor, double speed) : ILegSeconds
    {
        public double Seconds(LatLon from, LatLon to) => from == start && to == pickup ? toPickup : GeoMath.DistanceMetres(from, to) * detourFactor / speed;

        public double Seconds(LatLon from, LatLon to, double metres) => from == start && to == pickup ? toPickup : metres * detourFactor / speed;
    }

    /// <summary>
    /// A courier's trip without the order being ranked does not depend on that order: when the orders come as
    /// <see cref="CarriedOrders"/> (the server's), it is planned once and kept on that list for every other order ranked
    /// against the courier, and reused only when every other input is the same — position, moment, speed and policy —, so
    /// the answer is the planner's. Any other list is planned each time.
    /// </summary>
    private static TripPlan PlanWithout(LatLon start, IReadOnlyList<CarriedOrder> carried, double speed, DateTimeOffset now, DispatchPolicy policy)
    {
        var held = carried as CarriedOrders;
        if (held?.Without is { } known && known.Matches(start, speed, now, policy)) return known.Plan;
        var plan = TripPlanner.Plan(start, now, carried, (a, b) => GeoMath.DistanceMetres(a, b) * policy.DetourFactor / speed, policy.StopServiceSeconds);
        if (held is not null) held.Without = new PlannedWithout(start, speed, now, policy.DetourFactor, policy.StopServiceSeconds, plan);
        return plan;
    }

    /// <summary>
    /// Late commitment: when even the best courier would reach the pickup more than <see cref="DispatchPolicy.CommitAhead"/>
    /// before the goods are ready, the order waits and is offered later; this returns when to try again (null: offer now).
    /// </summary>
    public static DateTimeOffset? HoldUntil(DispatchRequest request, RankedCandidate best, DateTimeOffset now, DispatchPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        policy ??= DispatchPolicy.Default;
        if (request.ReadyAt is not { } ready) return null;
        var leaveBy = ready.AddSeconds(-best.SecondsToPickup) - policy.CommitAhead;
        return leaveBy > now ? leaveBy : null;
    }
}
