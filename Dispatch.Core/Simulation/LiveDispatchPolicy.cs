using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Simulation;

/// <summary>
/// The live server's batch strategy on an MDRP day, through the very code the server runs — <see cref="CandidateRanker"/>
/// (feasibility, named cost terms, trip plan, late commitment) and <see cref="BatchMatcher"/> (one exact assignment per
/// round) — with only the inputs translated: the plane's metres become positions near (0°, 0°) where great-circle
/// distance equals Euclidean distance to a few parts per million, travel time is the problem's ceil(metres ÷ metres
/// per minute), each order is hot food promised at placement + the target click-to-door, ready at its ready time, and
/// a courier's candidates are the <see cref="CandidateCount"/> idle couriers nearest the restaurant (as GEOSEARCH gives
/// the server) who could pick up before their off time. Like the server, it sends one order per courier per round and
/// plans nothing for busy couriers; the difference from <see cref="RollingHorizonPolicy"/> is what the live dispatcher
/// does not (yet) do.
/// </summary>
public sealed class LiveDispatchPolicy : IMdrpPolicy
{
    /// <summary>As the server's <c>Dispatch:CandidateCount</c>.</summary>
    public const int CandidateCount = 30;

    private const double MetresPerDegree = GeoMath.EarthRadiusMetres * Math.PI / 180;
    private static readonly DateTimeOffset Midnight = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Fresh = TimeSpan.FromHours(1);

    private readonly MdrpInstance _instance;
    private readonly double _originX;
    private readonly double _originY;
    private readonly DispatchPolicy _policy;
    private readonly MdrpTravelTime _travel;

    public LiveDispatchPolicy(MdrpInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
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
        };
    }

    public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var now = Midnight.AddMinutes(view.Now);
        var couriers = view.IdleCouriers.Select(c => (Idle: c, Snapshot: new CourierSnapshot(
            Id(c.Courier), "mdrp", ToLatLon(c.X, c.Y).Lat, ToLatLon(c.X, c.Y).Lon, now, Equipment.InsulatedBox, Vehicle.Scooter, 1, 0, CourierActivity.Idle))).ToList();
        var round = new List<BatchOrder>(view.OpenOrders.Count);
        foreach (var o in view.OpenOrders)
        {
            var order = _instance.Orders[o];
            var restaurant = _instance.Restaurants[order.Restaurant];
            var pickup = ToLatLon(restaurant.X, restaurant.Y);
            var request = new DispatchRequest(Id(o), OrderKind.HotFood, false, pickup, new HashSet<Guid>(), null, ToLatLon(order.X, order.Y),
                Midnight.AddMinutes(order.ReadyTime), Midnight.AddMinutes(order.PlacementTime + _instance.Parameters.TargetClickToDoorMinutes));
            var candidates = couriers
                .Select(c => (c.Snapshot, c.Idle, Metres: Distance(c.Idle.X, c.Idle.Y, restaurant.X, restaurant.Y)))
                .Where(c => PickupMinute(c.Idle, order, view.Now) <= _instance.Couriers[c.Idle.Courier].OffTime)
                .OrderBy(c => c.Metres).ThenBy(c => c.Idle.Courier).Take(CandidateCount)
                .Select(c => new Candidate(c.Snapshot, c.Metres, []))
                .ToList();
            round.Add(new BatchOrder(request, candidates, double.PositiveInfinity));
        }
        var decisions = BatchMatcher.Match(round, now, Fresh, _travel, _policy);
        return [.. decisions.Where(d => d.Winner is not null).Select(d => new MdrpInstruction(Index(d.Winner!.Value.CourierId), [Index(d.OrderId)]))];
    }

    private int PickupMinute(MdrpIdleCourier courier, MdrpOrder order, int now)
    {
        var r = _instance.Restaurants[order.Restaurant];
        return Math.Max(now + _instance.TravelMinutes(courier.X, courier.Y, r.X, r.Y) + _instance.PickupBefore, order.ReadyTime);
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
