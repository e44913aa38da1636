using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>
/// <see cref="CandidateRanker"/> plans a carrying courier's trip without the ranked order once and reuses it for the next
/// orders they are a candidate for: the reuse must never answer for a courier who moved, a later moment, or a changed load.
/// </summary>
public sealed class TripPlanReuseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(5);

    private static LatLon At(double kmNorth, double kmEast = 0) => new(43.70 + (kmNorth / 111.32), 7.40 + (kmEast / 80.5));

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static CourierSnapshot Courier(LatLon at, DateTimeOffset seenAt) =>
        new(Id(1), "z", at.Lat, at.Lon, seenAt, Equipment.InsulatedBox, Vehicle.Scooter, 4, 1, CourierActivity.Carrying, null, Now.AddHours(-2));

    private static DispatchRequest Request(int n, LatLon pickup, LatLon dropoff) =>
        new(Id(n), OrderKind.Errand, false, pickup, new HashSet<Guid>(), null, dropoff, null, Now.AddMinutes(40));

    private static Ranking Rank(DispatchRequest request, CourierSnapshot courier, IReadOnlyList<CarriedOrder> carrying, DateTimeOffset now) =>
        CandidateRanker.Rank(request, [new Candidate(courier, GeoMath.DistanceMetres(courier.Position, request.Pickup), carrying)], now, Stale);

    [Fact]
    public void The_same_list_answers_as_a_fresh_one_after_the_courier_moves_time_passes_or_the_list_changes()
    {
        // On board: an order to pick up 1 km north and hand over 3 km north, due in 25 minutes.
        var carrying = new List<CarriedOrder> { new(Id(100), OrderKind.Errand, At(1), At(3), Now.AddMinutes(25), null) };
        var first = Request(200, At(1.2), At(2.5));
        var second = Request(201, At(0.8, 0.5), At(2.8));

        // Two orders ranked for the courier at the start: the second reuses the plan made for the first.
        var atStart = Courier(At(0), Now);
        Rank(first, atStart, carrying, Now);
        Assert.Equal(Rank(second, atStart, [.. carrying], Now).Eligible, Rank(second, atStart, carrying, Now).Eligible);

        // The courier rode 2 km east: the same list object must not bring back the plan from the old position.
        var moved = Courier(At(0, 2), Now);
        var reused = Rank(second, moved, carrying, Now).Eligible.Single();
        var fresh = Rank(second, moved, [.. carrying], Now).Eligible.Single();
        Assert.Equal(fresh, reused);
        Assert.NotEqual(Rank(second, atStart, [.. carrying], Now).Eligible.Single().LoadPenaltySeconds, fresh.LoadPenaltySeconds);

        // Ten minutes later, same place: the order on board is nearer its promise, so its delay costs differently.
        var later = Now.AddMinutes(10);
        var movedLater = Courier(At(0, 2), later);
        Assert.Equal(Rank(second, movedLater, [.. carrying], later).Eligible, Rank(second, movedLater, carrying, later).Eligible);

        // A second order joins the same list object: planned afresh with both.
        carrying.Add(new CarriedOrder(Id(101), OrderKind.Errand, At(0.5, 2), At(0.5, 4), Now.AddMinutes(20), null));
        Assert.Equal(Rank(second, moved, [.. carrying], Now).Eligible, Rank(second, moved, carrying, Now).Eligible);
        Assert.NotEqual(fresh, Rank(second, moved, carrying, Now).Eligible.Single());
    }
}
