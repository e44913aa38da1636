using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Validation;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;

namespace Dispatch.Server.Orders;

/// <summary>Field-by-field checks of a create-order request, naming the first bad field.</summary>
internal static class OrderRequestValidator
{
    /// <summary>The request's places and stops, and its phone as E.164, or the first bad field.</summary>
    public static Outcome<(LatLon Pickup, LatLon Dropoff, Zone Zone, IReadOnlyList<ErrandStop> Stops, string Phone)> Validate(
        CreateOrderRequest r, ZoneMap zones, DateTimeOffset now, int defaultCountryCallingCode)
    {
        if (r.Kind is null || !Enum.IsDefined(r.Kind.Value)) return Failure.BadRequest("kind", "kind must be \"errand\", \"frozen\" or \"hotFood\".");
        if (TextProblem(r) is { } text) return Failure.BadRequest(text.Field, text.Message);
        var pickup = Place(r.Pickup, "pickup");
        if (!pickup.Ok) return pickup.Failure!;
        var dropoff = Place(r.Dropoff, "dropoff");
        if (!dropoff.Ok) return dropoff.Failure!;
        var zone = zones.Find(pickup.Value);
        if (zone is null) return Failure.BadRequest("pickup", $"Pickup {pickup.Value} is outside every zone served ({string.Join(", ", zones.All.Select(z => z.Name))}).");
        if (!zone.Contains(dropoff.Value)) return Failure.BadRequest("dropoff", $"Drop-off {dropoff.Value} is outside zone {zone.Name}, where the pickup is.");
        if (!PhoneNumbers.TryNormalize(r.CustomerPhone, defaultCountryCallingCode, out var phone, out var phoneError))
            return Failure.BadRequest("customerPhone", $"customerPhone {phoneError}");
        if (r.CustomerName is { Length: > 100 }) return Failure.BadRequest("customerName", "customerName must be at most 100 characters.");
        if (r.Items is { Length: > 100 } || r.Items?.Any(i => string.IsNullOrWhiteSpace(i) || i.Length > 200) == true)
            return Failure.BadRequest("items", "items must be at most 100 non-empty strings of at most 200 characters.");
        if (r.PromisedAt is { } promised && promised <= now) return Failure.BadRequest("promisedAt", $"promisedAt {promised:O} is in the past.");
        if (r.PromisedAt is { } far && PromiseRules.Check(far, now) is { } tooFar) return Failure.BadRequest("promisedAt", tooFar);
        if (r.ReadyAt is { } ready && ready > now.AddHours(12)) return Failure.BadRequest("readyAt", $"readyAt {ready:O} is more than 12 hours ahead; create the order closer to the time.");
        if (r.ReadyAt is { } readyAt && r.PromisedAt is { } promisedAt && readyAt >= promisedAt) return Failure.BadRequest("readyAt", $"readyAt {readyAt:O} is not before promisedAt {promisedAt:O}.");
        if (r.Pickup!.Address is { Length: > 300 }) return Failure.BadRequest("pickup.address", "pickup.address must be at most 300 characters.");
        if (r.Dropoff!.Address is { Length: > 300 }) return Failure.BadRequest("dropoff.address", "dropoff.address must be at most 300 characters.");
        if (r.BuyForMe is { } errand)
        {
            if (ReceiptRules.ValidateCap(errand.PriceCapCents) is { } capError) return Failure.BadRequest("buyForMe.priceCapCents", capError);
            if (string.IsNullOrWhiteSpace(errand.ShoppingList) || errand.ShoppingList.Length > BuyForMe.MaxShoppingListLength)
                return Failure.BadRequest("buyForMe.shoppingList", $"buyForMe.shoppingList must say what to buy (1–{BuyForMe.MaxShoppingListLength} characters).");
        }
        var stops = Stops(r.Stops, zone);
        if (!stops.Ok) return stops.Failure!;
        return (pickup.Value, dropoff.Value, zone, stops.Value!, phone);
    }

    /// <summary>
    /// Every text the order stores, checked for control characters and length before anything else is looked at (the
    /// phone is checked as a phone number below).
    /// </summary>
    private static (string Field, string Message)? TextProblem(CreateOrderRequest r)
    {
        if (TextRules.Check("pickup.address", r.Pickup?.Address, TextRules.MaxLineLength) is { } pickup) return ("pickup.address", pickup);
        if (TextRules.Check("dropoff.address", r.Dropoff?.Address, TextRules.MaxLineLength) is { } dropoff) return ("dropoff.address", dropoff);
        if (TextRules.Check("customerName", r.CustomerName, MaxNameLength) is { } name) return ("customerName", name);
        if (TextRules.CheckAll("items", r.Items, MaxItemLength) is { } item) return item;
        if (TextRules.Check("buyForMe.shoppingList", r.BuyForMe?.ShoppingList, BuyForMe.MaxShoppingListLength, multiLine: true) is { } list)
            return ("buyForMe.shoppingList", list);
        for (var i = 0; i < (r.Stops?.Length ?? 0); i++)
        {
            var stop = r.Stops![i];
            if (TextRules.Check($"stops[{i}].address", stop?.Address, StopRules.MaxTextLength) is { } address) return ($"stops[{i}].address", address);
            if (TextRules.Check($"stops[{i}].action", stop?.Action, 20) is { } action) return ($"stops[{i}].action", action);
            if (TextRules.Check($"stops[{i}].note", stop?.Note, StopRules.MaxTextLength, multiLine: true) is { } note) return ($"stops[{i}].note", note);
        }
        return null;
    }

    private const int MaxNameLength = 100;
    private const int MaxItemLength = 200;

    /// <summary>A multi-stop errand's stops, each checked like the pickup and drop-off, named by their index (<c>stops[1].lat</c>).</summary>
    internal static Outcome<IReadOnlyList<ErrandStop>> Stops(StopRequest?[]? requested, Zone zone)
    {
        if (requested is null) return new Outcome<IReadOnlyList<ErrandStop>>([], null);
        if (requested.Length > StopRules.MaxStops)
            return Failure.BadRequest("stops", $"An errand has at most {StopRules.MaxStops} stops between pickup and drop-off; got {requested.Length}. Split it into two orders.");
        var stops = new List<ErrandStop>(requested.Length);
        for (var i = 0; i < requested.Length; i++)
        {
            var field = $"stops[{i}]";
            var stop = requested[i];
            if (stop is null) return Failure.BadRequest(field, $"{field} is empty: send {{\"lat\":..,\"lon\":..,\"address\":\"..\",\"action\":\"pickup\" or \"dropoff\"}}.");
            var at = Place(new PlaceDto(stop.Lat, stop.Lon, stop.Address), field);
            if (!at.Ok) return at.Failure!;
            if (!zone.Contains(at.Value)) return Failure.BadRequest(field, $"Stop {i + 1} ({field}) at {at.Value} is outside zone {zone.Name}, where the pickup is.");
            if (string.IsNullOrWhiteSpace(stop.Address) || stop.Address.Length > StopRules.MaxTextLength)
                return Failure.BadRequest($"{field}.address", $"{field}.address must say where the courier stops (1–{StopRules.MaxTextLength} characters).");
            StopAction? action = stop.Action?.Trim().ToLowerInvariant() switch
            {
                "pickup" => StopAction.Pickup,
                "dropoff" => StopAction.Dropoff,
                _ => null,
            };
            if (action is null) return Failure.BadRequest($"{field}.action", $"{field}.action must be \"pickup\" (collect something) or \"dropoff\" (leave something).");
            if (stop.Note is { Length: > StopRules.MaxTextLength }) return Failure.BadRequest($"{field}.note", $"{field}.note must be at most {StopRules.MaxTextLength} characters.");
            stops.Add(new ErrandStop(at.Value, stop.Address.Trim(), action.Value, string.IsNullOrWhiteSpace(stop.Note) ? null : stop.Note.Trim()));
        }
        return new Outcome<IReadOnlyList<ErrandStop>>(stops, null);
    }

    internal static Outcome<LatLon> Place(PlaceDto? place, string field)
    {
        if (place is null) return Failure.BadRequest(field, $"{field} is required: {{\"lat\":..,\"lon\":..,\"address\":\"..\"}}.");
        if (place.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) return Failure.BadRequest($"{field}.lat", $"{field}.lat must be a number within -90..90.");
        if (place.Lon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) return Failure.BadRequest($"{field}.lon", $"{field}.lon must be a number within -180..180.");
        return new LatLon(lat, lon);
    }
}
