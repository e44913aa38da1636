using System.Globalization;
using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Invents plausible orders: pickup and drop-off inside the area 300–3000 m apart, about a quarter frozen, a quarter
/// hot meals still cooking (ready 3–12 minutes from now), the rest errands; promised 45 minutes from now. One errand in five
/// (about 10 % of all orders) is a multi-stop errand: one or two stops near the way from pickup to drop-off.
/// </summary>
internal sealed class OrderFactory
{
    public const double MinTripMetres = 300;
    public const double MaxTripMetres = 3_000;

    private static readonly string[] Streets =
    [
        "Boulevard des Moulins", "Avenue Princesse Grace", "Rue Grimaldi", "Boulevard Albert 1er",
        "Avenue de la Costa", "Rue Comte Félix Gastaldi", "Quai Antoine 1er", "Boulevard du Larvotto",
        "Rue Princesse Caroline", "Avenue Saint-Charles", "Rue Bosio", "Boulevard de Belgique",
    ];

    private static readonly string[] Customers =
    [
        "Camille Martin", "Luca Rossi", "Sofia Bianchi", "Hugo Bernard", "Emma Dubois", "Marco Ferrari",
        "Chloé Laurent", "Giulia Romano", "Louis Moreau", "Alice Lefèvre", "Matteo Ricci", "Léa Fontaine",
    ];

    private static readonly string[] ErrandItems =
    [
        "Pharmacy bag", "Dry cleaning", "Signed documents", "Bouquet of flowers", "Phone charger",
        "Two paperbacks", "Spare keys", "Bakery box",
    ];

    private static readonly string[] HotItems =
    [
        "Margherita pizza", "Pad thai", "Two burgers and fries", "Ramen", "Lasagne", "Curry with rice", "Poke bowl",
    ];

    /// <summary>Share of errands with stops between pickup and drop-off (a fifth of errands: about 10 % of all orders).</summary>
    public const double MultiStopShareOfErrands = 0.2;

    private static readonly (string Address, StopAction Action, string Note)[] StopKinds =
    [
        ("Pressing Grimaldi", StopAction.Pickup, "ticket on the customer's name"),
        ("Pharmacie du Rocher", StopAction.Pickup, "prescription ready at the counter"),
        ("Concierge, Le Millefiori", StopAction.Dropoff, "leave one bag with the concierge"),
        ("Cordonnerie Bosio", StopAction.Pickup, "two pairs of shoes, paid"),
        ("Office, 3rd floor", StopAction.Dropoff, "signed documents to reception"),
    ];

    /// <summary>Share of orders that are hot meals.</summary>
    public const double HotShare = 0.25;

    private static readonly string[] FrozenItems =
    [
        "Vanilla ice cream 1 L", "Frozen peas 1 kg", "Cod fillets", "Frozen pizza", "Lemon sorbet",
        "Frozen berries", "Ice cubes 2 kg",
    ];

    private readonly Random _random;

    public OrderFactory(Random random, double frozenShare = 0.25)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(frozenShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frozenShare, 1 - HotShare);
        _random = random;
        FrozenShare = frozenShare;
    }

    public double FrozenShare { get; }

    public PlannedOrder Create(ZoneArea area, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(area);
        var draw = _random.NextDouble();
        var kind = draw < FrozenShare ? OrderKind.Frozen : draw < FrozenShare + HotShare ? OrderKind.HotFood : OrderKind.Errand;
        var (pickup, dropoff) = area.RandomTrip(MinTripMetres, MaxTripMetres, _random);
        var catalogue = kind switch { OrderKind.Frozen => FrozenItems, OrderKind.HotFood => HotItems, _ => ErrandItems };
        var items = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Pick(catalogue)).Distinct().ToArray();
        var order = new NewOrder(
            kind,
            Place(pickup),
            Place(dropoff),
            Pick(Customers),
            Phone(),
            items,
            now.AddMinutes(45),
            kind == OrderKind.HotFood ? now.AddMinutes(3 + (9 * _random.NextDouble())) : null,
            kind == OrderKind.Errand && _random.NextDouble() < MultiStopShareOfErrands ? Stops(area, pickup, dropoff) : null);
        var amount = Math.Round((decimal)(8 + 52 * _random.NextDouble()), 2);
        return new PlannedOrder(order, amount);
    }

    // One or two stops spread along the way, each a short detour from the straight line.
    private OrderStop[] Stops(ZoneArea area, LatLon pickup, LatLon dropoff)
    {
        var count = _random.Next(1, 3);
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var t = (double)i / (count + 1);
            var along = new LatLon(pickup.Lat + ((dropoff.Lat - pickup.Lat) * t), pickup.Lon + ((dropoff.Lon - pickup.Lon) * t));
            var at = area.RandomPointNear(along, 50, 400, _random);
            var (address, action, note) = StopKinds[_random.Next(StopKinds.Length)];
            return new OrderStop(at.Lat, at.Lon, address, action, note);
        })];
    }

    private OrderPlace Place(LatLon p) =>
        new(p.Lat, p.Lon, string.Create(CultureInfo.InvariantCulture, $"{_random.Next(1, 80)} {Pick(Streets)}"));

    // Monaco mobile numbers: +377 6 xx xx xx xx.
    private string Phone() => string.Create(
        CultureInfo.InvariantCulture,
        $"+377 6 {_random.Next(100):00} {_random.Next(100):00} {_random.Next(100):00} {_random.Next(100):00}");

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
