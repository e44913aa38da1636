using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;

namespace Dispatch.Server.Orders;

/// <summary>Field-by-field checks of a create-order request, naming the first bad field.</summary>
public static class OrderRequestValidator
{
    public static Outcome<(LatLon Pickup, LatLon Dropoff, Zone Zone)> Validate(CreateOrderRequest r, ZoneMap zones, DateTimeOffset now)
    {
        if (r.Kind is null || !Enum.IsDefined(r.Kind.Value)) return Failure.BadRequest("kind", "kind must be \"errand\", \"frozen\" or \"hotFood\".");
        var pickup = Place(r.Pickup, "pickup");
        if (!pickup.Ok) return pickup.Failure!;
        var dropoff = Place(r.Dropoff, "dropoff");
        if (!dropoff.Ok) return dropoff.Failure!;
        var zone = zones.Find(pickup.Value);
        if (zone is null) return Failure.BadRequest("pickup", $"Pickup {pickup.Value} is outside every zone served ({string.Join(", ", zones.All.Select(z => z.Name))}).");
        if (!zone.Contains(dropoff.Value)) return Failure.BadRequest("dropoff", $"Drop-off {dropoff.Value} is outside zone {zone.Name}, where the pickup is.");
        if (string.IsNullOrWhiteSpace(r.CustomerPhone) || r.CustomerPhone.Count(char.IsDigit) < 6 || r.CustomerPhone.Length > 32)
            return Failure.BadRequest("customerPhone", "customerPhone must be a phone number with at least 6 digits (at most 32 characters).");
        if (r.CustomerName is { Length: > 100 }) return Failure.BadRequest("customerName", "customerName must be at most 100 characters.");
        if (r.Items is { Length: > 100 } || r.Items?.Any(i => string.IsNullOrWhiteSpace(i) || i.Length > 200) == true)
            return Failure.BadRequest("items", "items must be at most 100 non-empty strings of at most 200 characters.");
        if (r.PromisedAt is { } promised && promised <= now) return Failure.BadRequest("promisedAt", $"promisedAt {promised:O} is in the past.");
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
        return (pickup.Value, dropoff.Value, zone);
    }

    private static Outcome<LatLon> Place(PlaceDto? place, string field)
    {
        if (place is null) return Failure.BadRequest(field, $"{field} is required: {{\"lat\":..,\"lon\":..,\"address\":\"..\"}}.");
        if (place.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) return Failure.BadRequest($"{field}.lat", $"{field}.lat must be a number within -90..90.");
        if (place.Lon is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) return Failure.BadRequest($"{field}.lon", $"{field}.lon must be a number within -180..180.");
        return new LatLon(lat, lon);
    }
}
