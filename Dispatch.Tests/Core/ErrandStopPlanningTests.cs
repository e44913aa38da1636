using Dispatch.Core.Couriers;
using Dispatch.Core.Earnings;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>A multi-stop errand's stops in ETAs, trip plans, the dispatch cost and the fee.</summary>
public sealed class ErrandStopPlanningTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static LatLon At(double kmNorth, double kmEast = 0) => new(43.70 + (kmNorth / 111.32), 7.40 + (kmEast / 80.5));

    private static double Leg(LatLon a, LatLon b) => Math.Round(GeoMath.DistanceMetres(a, b) / 10); // 100 s per km

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void Straight_line_eta_sums_the_legs_through_the_remaining_stops()
    {
        var (courier, pickup, stop1, stop2, dropoff) = (At(0), At(1), At(2), At(2, 1), At(0, 1));
        int S(LatLon a, LatLon b) => Eta.StraightLineSeconds(a, b, 5);

        Assert.Equal(S(courier, pickup) + S(pickup, stop1) + S(stop1, stop2) + S(stop2, dropoff),
            Eta.ToDropoffSeconds(OrderStatus.Accepted, courier, pickup, dropoff, 5, [stop1, stop2]));
        Assert.Equal(S(courier, stop2) + S(stop2, dropoff), Eta.ToDropoffSeconds(OrderStatus.InTransit, courier, pickup, dropoff, 5, [stop2]));
        Assert.Equal(S(courier, dropoff), Eta.ToDropoffSeconds(OrderStatus.InTransit, courier, pickup, dropoff, 5, []));
        Assert.Equal(Eta.ToDropoffSeconds(OrderStatus.Accepted, courier, pickup, dropoff, 5), Eta.ToDropoffSeconds(OrderStatus.Accepted, courier, pickup, dropoff, 5, null));
    }

    [Fact]
    public void The_trip_goes_through_an_errands_stops_just_before_its_drop_off()
    {
        var errand = new CarriedOrder(Id(1), OrderKind.Errand, At(1), At(4), Now.AddHours(1), null, Via: [At(2), At(3)]);

        var plan = TripPlanner.Plan(At(0), Now, [errand], Leg, 60);

        Assert.Equal([At(1), At(2), At(3), At(4)], plan.Stops.Select(s => s.At));
        Assert.Equal([false, true, true, false], plan.Stops.Select(s => s.IsVia));
        // 100 s to the pickup + 60 s there; each stop 100 s away + 60 s; the drop-off 100 s on, handed over half-way through its minute.
        Assert.Equal(160, (plan.PickupAt[Id(1)] - Now).TotalSeconds, 1.5);
        Assert.Equal(160 + 160 + 160 + 100 + 30, (plan.DropoffAt[Id(1)] - Now).TotalSeconds, 1.5);
    }

    [Fact]
    public void An_errands_stops_count_in_its_drop_off_sequence()
    {
        // Two drop-offs 1 km away on either side; errand 2's stop is 4 km out, so dropping order 1 first is right even though
        // order 2 is promised first: going to 2 first would make order 1 late by far more.
        var plain = new CarriedOrder(Id(1), OrderKind.Errand, At(0), At(1), Now.AddMinutes(4), Now);
        var errand = new CarriedOrder(Id(2), OrderKind.Errand, At(0), At(-1), Now.AddMinutes(3), Now, Via: [At(-5)]);

        var plan = TripPlanner.Plan(At(0), Now, [plain, errand], Leg, 0);

        Assert.Equal([Id(1), Id(2), Id(2)], plan.Stops.Select(s => s.OrderId));
    }

    [Fact]
    public void Dispatch_cost_and_lateness_count_the_errands_own_stops()
    {
        var courier = new CourierSnapshot(Guid.NewGuid(), "monaco", At(0).Lat, At(0).Lon, Now, Equipment.InsulatedBox, Vehicle.Scooter, 3, 0, CourierActivity.Idle);
        var candidates = new[] { new Candidate(courier, 100, []) };
        DispatchRequest Request(IReadOnlyList<LatLon>? via) =>
            new(Id(9), OrderKind.Errand, false, At(0.1), new HashSet<Guid>(), null, At(1), null, Now.AddMinutes(4), via);

        var direct = CandidateRanker.Rank(Request(null), candidates, Now, TimeSpan.FromMinutes(2)).Eligible.Single();
        var withStops = CandidateRanker.Rank(Request([At(3), At(4)]), candidates, Now, TimeSpan.FromMinutes(2)).Eligible.Single();

        Assert.True(withStops.DropoffAt > direct.DropoffAt!.Value.AddMinutes(5), $"{withStops.DropoffAt} vs {direct.DropoffAt}");
        Assert.True(withStops.LatenessSeconds > direct.LatenessSeconds);
        Assert.Equal(direct.LoadPenaltySeconds, withStops.LoadPenaltySeconds); // its own stops are not a detour caused by others
    }

    [Fact]
    public void The_fee_follows_the_stops()
    {
        var fees = new FeeModel(300, 80);

        Assert.Equal(fees.FeeCents(At(0), At(1)), fees.FeeCents([At(0), At(1)]));
        Assert.InRange(fees.FeeCents([At(0), At(1), At(2), At(1)]), 300 + (80 * 3) - 1, 300 + (80 * 3) + 1);
        Assert.Equal(300, fees.FeeCents([At(0)]));
    }
}
