using System.Globalization;
using System.Text.RegularExpressions;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>
/// Everything a tracking link (or a merchant passing it on) may ever see of an order, built here and nowhere else: an
/// allow-list, so a new field or note stays private until it is added on purpose. Statuses and times in customer
/// wording; no actor, dispatch note, decline reason or position other than the pickup and the drop-off; the courier's
/// first name and masked phone; the courier's position on a coarse grid until the goods are picked up, exact after; and
/// a route that never shows the courier's way to the pickup. Pure: no I/O, no clock.
/// </summary>
public static partial class CustomerView
{
    /// <summary>Until the courier carries the goods the customer sees a position rounded to this grid, metres.</summary>
    public const double CoarseGridMetres = 300;

    /// <summary>The route leg name <see cref="Route"/> cuts (the courier's way to the pickup).</summary>
    public const string PickupLeg = "pickup";

    /// <summary>The snapshot a tracking link opens.</summary>
    public static TrackingSnapshot Snapshot(TrackedOrder order, IReadOnlyList<TimelineEvent> events, TrackedCourier? courier, RouteMessage? route)
    {
        ArgumentNullException.ThrowIfNull(order);
        var assigned = OrderStateMachine.IsAssigned(order.Status);
        var position = assigned && courier is { Position: { } at, At: { } fixedAt }
            ? Position(order.Id, order.Status, at, fixedAt, courier.EtaSeconds)
            : null;
        return new TrackingSnapshot(order.Id, order.Number, Status(order.Status), order.Pickup.Lat, order.Pickup.Lon, order.Dropoff.Lat, order.Dropoff.Lon,
            order.PromisedAt, FirstName(courier?.Name), courier is null ? null : PhoneMask.Mask(courier.Phone), position, Timeline(events),
            assigned && route is not null ? Route(route, order.Pickup) : null, order.BuyForMe, order.Rating, order.Stops);
    }

    /// <summary>The status a customer is told: an offer is still "finding a courier" (declines and re-offers do not show).</summary>
    public static OrderStatus Status(OrderStatus status) => status == OrderStatus.Offered ? OrderStatus.Dispatching : status;

    /// <summary>Where the customer sees the courier: on the coarse grid until the goods are carried, exact after.</summary>
    public static LatLon Shown(OrderStatus status, LatLon exact) =>
        OrderStateMachine.IsCarrying(status) ? exact : GeoMath.Coarsen(exact, CoarseGridMetres);

    /// <summary>What the customer sees at one fix: the shown position, and the raw ETA (seconds) plus the zone's pad.</summary>
    public static CustomerSight Sight(OrderStatus status, LatLon exact, int rawEtaSeconds, int padSeconds) =>
        new(Shown(status, exact), !OrderStateMachine.IsCarrying(status), rawEtaSeconds + padSeconds);

    /// <summary>What the customer sees of a courier at <paramref name="exact"/> on <paramref name="way"/>: the ETA along the route, else straight line.</summary>
    public static CustomerSight Sight(OrderWay way, LatLon exact, int padSeconds, double speedMetresPerSecond)
    {
        ArgumentNullException.ThrowIfNull(way);
        return Sight(way.Status, exact, CourierProgress.Of(way, exact, speedMetresPerSecond).EtaSeconds, padSeconds);
    }

    /// <summary>The courier's position for the customer; <paramref name="etaSeconds"/> to the drop-off, padded.</summary>
    public static CourierPosition Position(Guid orderId, OrderStatus status, LatLon exact, DateTimeOffset at, int etaSeconds) =>
        Position(orderId, Sight(status, exact, etaSeconds, 0), at);

    /// <summary>The message that carries a sight to the customer's view.</summary>
    public static CourierPosition Position(Guid orderId, CustomerSight sight, DateTimeOffset at) =>
        new(orderId, sight.Shown.Lat, sight.Shown.Lon, at, sight.EtaSeconds, sight.Coarse);

    /// <summary>
    /// The route without the courier's way to the pickup: it starts at the pickup (the path's first point nearest it) and
    /// loses the pickup leg. A route planned once carrying has no such leg and starts at the courier, as it may.
    /// </summary>
    public static RouteMessage Route(RouteMessage route, LatLon pickup)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (!route.Legs.Any(l => l.To == PickupLeg)) return route;
        var cut = 0;
        var best = double.MaxValue;
        for (var i = 0; i < route.Path.Length; i++)
        {
            // Strictly nearer only: the leg to the pickup ends at the first visit of the pickup's vertex.
            var d = GeoMath.DistanceMetres(new LatLon(route.Path[i][0], route.Path[i][1]), pickup);
            if (d < best)
            {
                best = d;
                cut = i;
            }
        }
        double[][] path = route.Path.Length - cut >= 2 ? route.Path[cut..] : [[pickup.Lat, pickup.Lon], .. route.Path[cut..]];
        return route with { Path = path, Legs = [.. route.Legs.Where(l => l.To != PickupLeg)] };
    }

    /// <summary>"Maria" of "Maria Rossi"; null without a name.</summary>
    public static string? FirstName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    /// <summary>The note of a stop done, as the customer reads it: "Stop 2 of 3 done" (no courier text).</summary>
    public static string StopNote(int number, int total) => $"Stop {number} of {total} done";

    /// <summary>
    /// The customer's timeline: one entry per step they care about, in order, repeats collapsed (a decline and a re-offer
    /// are still "finding a courier"). Notes only tell which step an event is; the text is always this class's own.
    /// </summary>
    public static CustomerTimelineEntry[] Timeline(IReadOnlyList<TimelineEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var result = new List<CustomerTimelineEntry>(events.Count);
        var assignments = 0;
        foreach (var e in events)
        {
            if (StepOf(e) is not { } step) continue;
            var repeat = result.Count > 0 && result[^1].Step == step;
            if (repeat && step is not (CustomerStep.StopDone or CustomerStep.Receipt)) continue;
            if (step == CustomerStep.CourierAssigned) assignments++;
            result.Add(new CustomerTimelineEntry(step, e.At, Text(step, e.Note, assignments)));
        }
        return [.. result];
    }

    private static CustomerStep? StepOf(TimelineEvent e)
    {
        // Same-status markers (pre-arrival, receipts, stops, ratings) are recognised only on a courier's or a delivered
        // order, so a free-text cancel or decline reason that happens to start like one is never taken for one.
        var marked = e.Note is { } note && (OrderStateMachine.IsAssigned(e.Status) || e.Status == OrderStatus.Delivered);
        if (marked && e.Note == Milestones.ArrivingNote) return CustomerStep.Arriving;
        if (marked && e.Note!.StartsWith(ReceiptRules.NotePrefix, StringComparison.Ordinal)) return CustomerStep.Receipt;
        if (marked && StopDone().IsMatch(e.Note!)) return CustomerStep.StopDone;
        if (marked && e.Status == OrderStatus.Delivered && e.Note!.StartsWith(RatingRules.NotePrefix, StringComparison.Ordinal)) return CustomerStep.Rated;
        return e.Status switch
        {
            OrderStatus.Placed => CustomerStep.Placed,
            OrderStatus.Paid => CustomerStep.Paid,
            OrderStatus.Dispatching or OrderStatus.Offered => CustomerStep.FindingCourier,
            OrderStatus.Accepted => CustomerStep.CourierAssigned,
            OrderStatus.ArrivedAtPickup => CustomerStep.AtPickup,
            OrderStatus.PickedUp => CustomerStep.PickedUp,
            OrderStatus.InTransit => CustomerStep.OnTheWay,
            OrderStatus.ArrivedAtDropoff => CustomerStep.AtDropoff,
            OrderStatus.Delivered => CustomerStep.Delivered,
            OrderStatus.Cancelled => CustomerStep.Cancelled,
            OrderStatus.Failed => CustomerStep.Failed,
            _ => null,
        };
    }

    private static string Text(CustomerStep step, string? note, int assignments) => step switch
    {
        CustomerStep.Placed => "Order placed",
        CustomerStep.Paid => "Payment confirmed",
        CustomerStep.FindingCourier => "Finding a courier",
        CustomerStep.CourierAssigned => assignments > 1 ? "Another courier took over and is on the way to the shop" : "Courier on the way to the shop",
        CustomerStep.AtPickup => "Courier at the shop",
        CustomerStep.PickedUp => "Picked up",
        CustomerStep.OnTheWay => "On the way to you",
        CustomerStep.Arriving => "Arriving in a minute or two",
        CustomerStep.AtDropoff => "Courier at your door",
        CustomerStep.Delivered => "Delivered",
        CustomerStep.Cancelled => "Order cancelled",
        CustomerStep.Failed => "Delivery failed",
        CustomerStep.StopDone => StopDone().Match(note!) is { Success: true } m
            ? StopNote(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : "A stop on the way is done",
        CustomerStep.Receipt => ReceiptText(note!),
        CustomerStep.Rated => RatedStars().Match(note!) is { Success: true } r ? $"You rated the delivery {r.Groups[1].Value} out of 5" : "You rated the delivery",
        _ => "",
    };

    // Fixed wordings per receipt step (ReceiptRules.Note); amounts are in the buy-for-me card, not here.
    private static string ReceiptText(string note) =>
        note.EndsWith("waiting for the customer", StringComparison.Ordinal) ? "The receipt is over your cap and waits for your approval"
        : note.EndsWith("approved automatically", StringComparison.Ordinal) ? "Receipt within your cap: approved"
        : note.Contains("approved by the customer", StringComparison.Ordinal) ? "You approved the receipt"
        : note.Contains("rejected by the customer", StringComparison.Ordinal) ? "You rejected the receipt"
        : "The courier sent the receipt";

    // StopRules.Complete's note: "stop 2 of 3 done: <label>".
    [GeneratedRegex(@"^stop ([1-9][0-9]?) of ([1-9][0-9]?) done", RegexOptions.CultureInvariant)]
    private static partial Regex StopDone();

    [GeneratedRegex(@"^rated ([1-5])/5$", RegexOptions.CultureInvariant)]
    private static partial Regex RatedStars();
}
