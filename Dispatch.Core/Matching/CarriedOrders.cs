using System.Collections;

namespace Dispatch.Core.Matching;

/// <summary>
/// The orders one courier holds, as the server hands them to ranking (<see cref="Candidate.Carrying"/>), with room for
/// that courier's trip planned without the order being ranked: it does not depend on that order, and a batch round ranks
/// a thousand orders with a carrying courier among the candidates of dozens of them, so it is planned once per round and
/// read by the rest (<see cref="CandidateRanker"/>). The list cannot change after it is made, so the plan stays right for
/// it as long as the other inputs (position, moment, speed, policy) are the same, which the ranker checks.
/// </summary>
public sealed class CarriedOrders(IEnumerable<CarriedOrder> orders) : IReadOnlyList<CarriedOrder>
{
    private readonly CarriedOrder[] _orders = [.. orders];

    /// <summary>The trip without a new order, planned by the first ranking that needed it (a reference write: rankings on other threads see it whole or not at all).</summary>
    internal PlannedWithout? Without { get; set; }

    public CarriedOrder this[int index] => _orders[index];

    public int Count => _orders.Length;

    public IEnumerator<CarriedOrder> GetEnumerator() => ((IEnumerable<CarriedOrder>)_orders).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A courier's trip planned without a new order, and what it was planned from.</summary>
internal sealed record PlannedWithout(Geo.LatLon Start, double Speed, DateTimeOffset Now, double DetourFactor, double StopServiceSeconds, TripPlan Plan)
{
    public bool Matches(Geo.LatLon start, double speed, DateTimeOffset now, DispatchPolicy policy) =>
        start == Start && speed == Speed && now == Now && policy.DetourFactor == DetourFactor && policy.StopServiceSeconds == StopServiceSeconds;
}
