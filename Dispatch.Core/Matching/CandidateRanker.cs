using Dispatch.Core.Couriers;

namespace Dispatch.Core.Matching;

/// <summary>
/// First-version dispatch decision: feasibility first (online, equipment, capacity, not offered before, fresh position),
/// then cost = straight-line seconds to pickup × detour factor + a penalty per order already carried.
/// </summary>
public static class CandidateRanker
{
    /// <summary>Streets are not straight: road distance is about 1.3 × the crow-fly distance in cities.</summary>
    public const double DetourFactor = 1.3;

    /// <summary>Each order already on board costs as much as this many seconds of extra driving.</summary>
    public const double LoadPenaltySecondsPerOrder = 240;

    public static Ranking Rank(DispatchRequest request, IEnumerable<Candidate> candidates, DateTimeOffset now, TimeSpan staleAfter)
    {
        var eligible = new List<RankedCandidate>();
        var excluded = new List<Exclusion>();
        foreach (var (courier, distance) in candidates)
        {
            var reason = Exclude(request, courier, now, staleAfter);
            if (reason is not null)
            {
                excluded.Add(new Exclusion(courier.CourierId, reason));
                continue;
            }
            var seconds = distance * DetourFactor / VehicleSpeeds.TypicalMetresPerSecond(courier.Vehicle);
            eligible.Add(new RankedCandidate(courier.CourierId, distance, seconds, courier.ActiveOrders * LoadPenaltySecondsPerOrder));
        }
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
        if (request.AlreadyOffered.Contains(courier.CourierId)) return "already offered this order";
        if (now - courier.At > staleAfter) return $"position is stale ({(int)(now - courier.At).TotalSeconds} s old)";
        if ((request.RequiresColdChain || request.Kind == Dispatch.Core.Orders.OrderKind.Frozen) && courier.Equipment == Equipment.None) return "frozen goods need an insulated box or cooler";
        if (courier.ActiveOrders >= courier.Capacity) return $"at capacity ({courier.ActiveOrders}/{courier.Capacity})";
        return null;
    }
}
