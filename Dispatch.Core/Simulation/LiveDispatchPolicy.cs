using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Simulation;

/// <summary>
/// The live server's batch strategy on an MDRP day, through the very code the server runs — <see cref="CandidateRanker"/>
/// (feasibility, named cost terms, trip plan; with freeing couriers) and <see cref="BatchMatcher"/> (one exact assignment
/// per round: bundles of one pickup sized by load, order age, the option to wait, late commitment) — with only the inputs
/// translated: the plane's metres become positions near (0°, 0°) where great-circle distance equals Euclidean distance to a
/// few parts per million, travel time is the problem's ceil(metres ÷ metres per minute), each order is hot food promised
/// at placement + the target click-to-door, ready at its ready time, and an order's candidates are the
/// <see cref="CandidateCount"/> couriers nearest the restaurant (as GEOSEARCH gives the server) who could pick up before
/// their off time: idle ones, and busy ones with the orders of the trip this policy sent them on (where they are now, what
/// is on board), from which the ranker plans when and where they free up, as the server does from a courier's held orders.
/// </summary>
public sealed class LiveDispatchPolicy : IMdrpPolicy
{
    /// <summary>As the server's <c>Dispatch:CandidateCount</c>.</summary>
    public const int CandidateCount = 30;

    /// <summary>
    /// Bundles of up to this many orders of one pickup by default, and the server's <c>Dispatch:MaxBundle</c> default (it
    /// offers a bundle to its courier as one offer, accepted or declined whole). On all 120 instances 1 leaves 248 orders
    /// undelivered and 18 instances over 2 % behind rolling-horizon, 2 leaves 76 and 1, 3 leaves 59 and none.
    /// </summary>
    public const int BenchmarkMaxBundle = 3;

    private const double MetresPerDegree = GeoMath.EarthRadiusMetres * Math.PI / 180;
    private static readonly DateTimeOffset Midnight = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fresh = TimeSpan.FromHours(1);

    private readonly MdrpInstance _instance;
    private readonly double _originX;
    private readonly double _originY;
    private readonly DispatchPolicy _policy;
    private readonly MdrpTravelTime _travel;

    // The trips this policy sent, by courier: where from, and the route (the simulator carries out every instruction as planned).
    private readonly Dictionary<int, (double X, double Y, MdrpRoute Route)> _trips = [];

    /// <summary>Most orders of one pickup per trip (the policy's <see cref="DispatchPolicy.MaxBundle"/>).</summary>
    public int MaxBundle => _policy.MaxBundle;

    public LiveDispatchPolicy(MdrpInstance instance, int maxBundle = BenchmarkMaxBundle)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBundle, 1);
        _instance = instance;
        var xs = instance.Restaurants.Select(r => r.X).Concat(instance.Orders.Select(o => o.X)).Concat(instance.Couriers.Select(c => c.X)).DefaultIfEmpty(0);
        var ys = instance.Restaurants.Select(r => r.Y).Concat(instance.Orders.Select(o => o.Y)).Concat(instance.Couriers.Select(c => c.Y)).DefaultIfEmpty(0);
        (_originX, _originY) = (xs.Min(), ys.Min());
        _travel = new MdrpTravelTime(this);
        // The trip plan's legs at the problem's speed: a scooter's typical speed divided down to metres per minute.
        _policy = DispatchPolicy.Default with
        {
            DetourFactor = VehicleSpeeds.TypicalMetresPerSecond(Vehicle.Scooter) / (instance.Parameters.MetersPerMinute / 60),
            StopServiceSeconds = 60.0 * (instance.Parameters.PickupServiceMinutes + instance.Parameters.DropoffServiceMinutes) / 2,
            FairnessSecondsPerEuroPerHour = 0,
            MaxBundle = maxBundle,
        };
    }

    public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var now = Midnight.AddMinutes(view.Now);
        // Idle couriers, and busy ones about to be free with the orders they carry (the ranker plans when and where they free up).
        var pool = new List<(Candidate Candidate, int Courier, double X, double Y, double FreeX, double FreeY, int FreeMinute)>(view.IdleCouriers.Count + view.BusyCouriers.Count);
        foreach (var c in view.IdleCouriers)
        {
            var at = ToLatLon(c.X, c.Y);
            var snapshot = new CourierSnapshot(Id(c.Courier), "mdrp", at.Lat, at.Lon, now, Equipment.InsulatedBox, Vehicle.Scooter, _policy.MaxBundle, 0, CourierActivity.Idle);
            pool.Add((new Candidate(snapshot, 0, []), c.Courier, c.X, c.Y, c.X, c.Y, view.Now));
        }
        foreach (var b in view.BusyCouriers)
        {
            if (b.FreeAt - view.Now > _policy.FreeingHorizon.TotalMinutes || !_trips.TryGetValue(b.Courier, out var trip)) continue;
            var (x, y, carried) = Underway(trip, view.Now);
            var at = ToLatLon(x, y);
            // At capacity while on a trip (an MDRP courier cannot be diverted), with a capacity of a whole bundle once free.
            var snapshot = new CourierSnapshot(Id(b.Courier), "mdrp", at.Lat, at.Lon, now, Equipment.InsulatedBox, Vehicle.Scooter, _policy.MaxBundle, _policy.MaxBundle, CourierActivity.Carrying);
            pool.Add((new Candidate(snapshot, 0, carried), b.Courier, x, y, b.X, b.Y, b.FreeAt));
        }

        var round = new RankedOrder[view.OpenOrders.Count];
        for (var k = 0; k < round.Length; k++)
        {
            var o = view.OpenOrders[k];
            var order = _instance.Orders[o];
            var restaurant = _instance.Restaurants[order.Restaurant];
            var pickup = ToLatLon(restaurant.X, restaurant.Y);
            var request = new DispatchRequest(Id(o), OrderKind.HotFood, false, pickup, new HashSet<Guid>(), null, ToLatLon(order.X, order.Y),
                Midnight.AddMinutes(order.ReadyTime), Midnight.AddMinutes(order.PlacementTime + _instance.Parameters.TargetClickToDoorMinutes),
                PlacedAt: Midnight.AddMinutes(order.PlacementTime), Reference: order.Id);
            // As GEOSEARCH gives the server: the couriers nearest the pickup where they are now, who could pick up before their off time.
            var candidates = pool
                .Where(c => PickupMinute(c.FreeX, c.FreeY, c.FreeMinute, order) <= _instance.Couriers[c.Courier].OffTime)
                .Select(c => (c.Candidate, c.Courier, Metres: Distance(c.X, c.Y, restaurant.X, restaurant.Y)))
                .OrderBy(c => c.Metres).ThenBy(c => c.Courier).Take(CandidateCount)
                .Select(c => c.Candidate with { DistanceMetres = c.Metres })
                .ToList();
            round[k] = new RankedOrder(request, CandidateRanker.Rank(request, candidates, now, Fresh, _travel, _policy, withFreeing: true), double.PositiveInfinity);
        }
        var decisions = BatchMatcher.MatchRanked(round, now, _policy);
        var instructions = new List<MdrpInstruction>();
        foreach (var trip in decisions.Where(d => d.Winner is not null).GroupBy(d => Index(d.Winner!.Value.CourierId)))
        {
            var courier = view.IdleCouriers.First(c => c.Courier == trip.Key);
            var orders = trip.Select(d => Index(d.OrderId)).ToList();
            // One restaurant per trip, and a pickup before the off time: the bundle's orders were checked one by one.
            var restaurant = _instance.Orders[orders[0]].Restaurant;
            orders.RemoveAll(o => _instance.Orders[o].Restaurant != restaurant);
            var route = MdrpRoute.PlanBest(_instance, courier.X, courier.Y, view.Now, orders);
            while (route.PickupTime > _instance.Couriers[trip.Key].OffTime && orders.Count > 1)
            {
                orders.Remove(orders.MaxBy(o => _instance.Orders[o].ReadyTime));
                route = MdrpRoute.PlanBest(_instance, courier.X, courier.Y, view.Now, orders);
            }
            _trips[trip.Key] = (courier.X, courier.Y, route);
            instructions.Add(new MdrpInstruction(trip.Key, route.Orders));
        }
        return instructions;
    }

    /// <summary>
    /// Where a courier on an instruction is at <paramref name="now"/> (straight legs at constant speed) and the orders still
    /// on their trip, as the server knows a courier's held orders: picked up or not, ready when, delivered where.
    /// </summary>
    private (double X, double Y, List<CarriedOrder> Carried) Underway((double X, double Y, MdrpRoute Route) trip, int now)
    {
        var route = trip.Route;
        var r = _instance.Restaurants[_instance.Orders[route.Orders[0]].Restaurant];
        var pickedUp = now >= route.PickupTime ? Midnight.AddMinutes(route.PickupTime) : (DateTimeOffset?)null;
        var carried = new List<CarriedOrder>(route.Orders.Count);
        for (var i = 0; i < route.Orders.Count; i++)
        {
            // The last order stays listed until the courier is free, so they count as busy until then.
            if (route.DropoffTimes[i] <= now && i < route.Orders.Count - 1) continue;
            var order = _instance.Orders[route.Orders[i]];
            carried.Add(new CarriedOrder(Id(route.Orders[i]), OrderKind.HotFood, ToLatLon(r.X, r.Y), ToLatLon(order.X, order.Y),
                Midnight.AddMinutes(order.PlacementTime + _instance.Parameters.TargetClickToDoorMinutes), pickedUp, Midnight.AddMinutes(order.ReadyTime)));
        }
        if (now < route.RestaurantArrival) return (Lerp(trip.X, r.X, route.Departure, route.RestaurantArrival, now), Lerp(trip.Y, r.Y, route.Departure, route.RestaurantArrival, now), carried);
        var leave = route.PickupTime + _instance.PickupAfter;
        double x = r.X, y = r.Y;
        for (var i = 0; i < route.Orders.Count; i++)
        {
            var order = _instance.Orders[route.Orders[i]];
            if (now < route.DropoffArrivals[i]) return (Lerp(x, order.X, leave, route.DropoffArrivals[i], now), Lerp(y, order.Y, leave, route.DropoffArrivals[i], now), carried);
            leave = route.DropoffTimes[i] + _instance.DropoffAfter;
            (x, y) = (order.X, order.Y);
        }
        return (x, y, carried);
    }

    private static double Lerp(double from, double to, int start, int end, int now) =>
        end <= start || now <= start ? from : now >= end ? to : from + ((to - from) * (now - start) / (end - start));

    private int PickupMinute(double x, double y, int freeAt, MdrpOrder order)
    {
        var r = _instance.Restaurants[order.Restaurant];
        return Math.Max(freeAt + _instance.TravelMinutes(x, y, r.X, r.Y) + _instance.PickupBefore, order.ReadyTime);
    }

    private LatLon ToLatLon(double x, double y) => new((y - _originY) / MetresPerDegree, (x - _originX) / MetresPerDegree);

    private (double X, double Y) ToPlane(LatLon p) => ((p.Lon * MetresPerDegree) + _originX, (p.Lat * MetresPerDegree) + _originY);

    private static double Distance(double x1, double y1, double x2, double y2) => Math.Sqrt(((x2 - x1) * (x2 - x1)) + ((y2 - y1) * (y2 - y1)));

    private static Guid Id(int index) => new(index, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static int Index(Guid id) => BitConverter.ToInt32(id.ToByteArray(), 0);

    /// <summary>The problem's travel rule as the server's travel-time interface: ceil(metres ÷ metres per minute), in seconds.</summary>
    private sealed class MdrpTravelTime(LiveDispatchPolicy owner) : ITravelTimeModel
    {
        public double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins)
        {
            var (tx, ty) = owner.ToPlane(target);
            var seconds = new double[origins.Count];
            for (var i = 0; i < seconds.Length; i++)
            {
                var (x, y) = owner.ToPlane(origins[i].From);
                seconds[i] = 60.0 * owner._instance.TravelMinutes(x, y, tx, ty);
            }
            return seconds;
        }
    }
}
