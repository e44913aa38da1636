using Dispatch.Core.Couriers;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Matching;

/// <summary>
/// First-version dispatch decision: feasibility first (online, equipment, capacity, not offered before, fresh position),
/// then cost = seconds to pickup (road network when the zone has one, else straight line × detour) + a penalty per order already carried
/// + a penalty for asking again a courier who declined this order (only after a cool-down).
/// </summary>
public static class CandidateRanker
{
    /// <summary>Without a road network: crow-fly distance × this factor.</summary>
    public const double DetourFactor = StraightLineTravelTime.DefaultDetourFactor;

    /// <summary>Each order already on board costs as much as this many seconds of extra driving.</summary>
    public const double LoadPenaltySecondsPerOrder = 240;

    /// <summary>A courier who declined an order (or let its offer run out) is not asked again for it before this.</summary>
    public static readonly TimeSpan DeclineCoolDown = TimeSpan.FromMinutes(3);

    /// <summary>After the cool-down they may be asked again, costing as much as this many seconds of extra driving.</summary>
    public const double DeclinePenaltySeconds = 300;

    public static Ranking Rank(DispatchRequest request, IEnumerable<Candidate> candidates, DateTimeOffset now, TimeSpan staleAfter, ITravelTimeModel? travel = null)
    {
        var fit = new List<Candidate>();
        var excluded = new List<Exclusion>();
        foreach (var candidate in candidates)
        {
            var reason = Exclude(request, candidate.Courier, now, staleAfter);
            if (reason is null) fit.Add(candidate);
            else excluded.Add(new Exclusion(candidate.Courier.CourierId, reason));
        }
        // One call for all couriers: a road graph answers them with a single search from the pickup.
        // Without one, the GEOSEARCH distance × detour ÷ speed.
        var seconds = travel is not null
            ? travel.SecondsTo(request.Pickup, [.. fit.Select(c => (c.Courier.Position, c.Courier.Vehicle))])
            : [.. fit.Select(c => c.DistanceMetres * DetourFactor / VehicleSpeeds.TypicalMetresPerSecond(c.Courier.Vehicle))];
        var eligible = fit.Select((c, i) => new RankedCandidate(c.Courier.CourierId, c.DistanceMetres, seconds[i], c.Courier.ActiveOrders * LoadPenaltySecondsPerOrder,
            request.DeclinedAt?.ContainsKey(c.Courier.CourierId) == true ? DeclinePenaltySeconds : 0)).ToList();
        eligible.Sort(static (a, b) =>
        {
            var byCost = a.Cost.CompareTo(b.Cost);
            return byCost != 0 ? byCost : a.CourierId.CompareTo(b.CourierId);
        });
        return new Ranking(eligible, excluded);
    }

    /// <summary>Why a courier cannot take this order, or null when they can.</summary>
    public static string? Exclude(DispatchRequest request, CourierSnapshot courier, DateTimeOffset now, TimeSpan staleAfter)
    {
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
        if ((request.RequiresColdChain || request.Kind == Dispatch.Core.Orders.OrderKind.Frozen) && courier.Equipment == Equipment.None) return "frozen goods need an insulated box or cooler";
        if (courier.ActiveOrders >= courier.Capacity) return $"at capacity ({courier.ActiveOrders}/{courier.Capacity})";
        return null;
    }
}
