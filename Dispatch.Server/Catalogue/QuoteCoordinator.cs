using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Pricing;
using Dispatch.Core.Validation;
using Dispatch.Core.Zones;
using Dispatch.Server.Common;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Catalogue;

/// <summary>
/// Prices a trip for a customer: checks the places, measures the trip (by road when the zone has a network, else straight
/// line × the detour factor), asks <see cref="PriceCalculator"/>, and stores the quote whole for the order to refer to.
/// </summary>
internal sealed partial class QuoteCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    ServiceCatalogue catalogue,
    ZoneMap zones,
    RoadRouter roads,
    IOptions<CatalogueOptions> options,
    TimeProvider clock,
    ILogger<QuoteCoordinator> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<QuoteView>> QuoteAsync(Guid customerId, QuoteRequest request, CancellationToken ct)
    {
        var checkedTrip = Check(request);
        if (!checkedTrip.Ok)
        {
            LogRefused(logger, customerId, checkedTrip.Failure!.Field ?? "", checkedTrip.Failure.Detail);
            return checkedTrip.Failure;
        }
        var (service, zone, places) = checkedTrip.Value;
        var o = options.Value;
        var points = places.Select(p => new LatLon(p.Lat, p.Lon)).ToList();
        var trip = await MeasureAsync(zone.Name, points, o, ct);
        var now = clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone));
        var stops = places.Count - 2;
        var price = PriceCalculator.Price(service.Pricing, new PricedTrip(trip.Metres, stops, service.Kind == ServiceKind.Frozen, (local.Hour * 60) + local.Minute));
        var record = new QuoteRecord
        {
            Id = Guid.NewGuid(), // random, not time-ordered: the id is what a customer sends back
            CustomerId = customerId,
            ServiceId = service.Id,
            ServiceKind = service.Kind,
            Zone = zone.Name,
            Places = JsonSerializer.Serialize(places, Json),
            Metres = Math.Round(trip.Metres),
            ByRoad = trip.ByRoad,
            EtaMinutes = trip.EtaMinutes(o.LeadMinutes, o.MinutesPerStop, stops),
            Currency = price.Currency,
            TotalCents = price.TotalCents,
            Lines = JsonSerializer.Serialize(price.Lines, Json),
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(o.QuoteMinutes),
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Set<QuoteRecord>().Add(record);
        await db.SaveChangesAsync(ct);
        LogQuoted(logger, record.Id, service.Id, zone.Name, record.TotalCents, record.Currency, record.Metres, record.ByRoad);
        return View(record);
    }

    public static QuoteView View(QuoteRecord q)
    {
        var places = JsonSerializer.Deserialize<QuotePlace[]>(q.Places, Json)!;
        return new QuoteView(q.Id, q.ServiceId, q.ServiceKind, q.Zone, q.Currency, q.TotalCents, JsonSerializer.Deserialize<PriceLine[]>(q.Lines, Json)!,
            q.Metres, q.ByRoad, q.EtaMinutes, places[0], places[1..^1], places[^1], q.ExpiresAt);
    }

    private async Task<TripEstimate> MeasureAsync(string zone, List<LatLon> points, CatalogueOptions o, CancellationToken ct)
    {
        var legs = await roads.PlanAsync(zone, points, o.Vehicle, ct);
        if (legs.Ok) return new TripEstimate(legs.Value!.Sum(l => l.Metres), legs.Value!.Sum(l => l.Seconds), ByRoad: true);
        // No network in the zone, or a place no road reaches: the straight line, stretched.
        return TripEstimate.StraightLine(points, o.DetourFactor, VehicleSpeeds.TypicalMetresPerSecond(o.Vehicle));
    }

    private Outcome<(CatalogueService Service, Zone Zone, List<QuotePlace> Places)> Check(QuoteRequest r)
    {
        var service = catalogue.Find(r.ServiceId);
        if (service is null) return Failure.BadRequest("serviceId", $"serviceId must be one of {string.Join(", ", catalogue.All.Select(s => s.Id))} (GET /api/services).");
        if (TextRules.Check("pickup.address", r.Pickup?.Address, TextRules.MaxLineLength) is { } badPickup) return Failure.BadRequest("pickup.address", badPickup);
        if (TextRules.Check("dropoff.address", r.Dropoff?.Address, TextRules.MaxLineLength) is { } badDropoff) return Failure.BadRequest("dropoff.address", badDropoff);
        var pickup = OrderRequestValidator.Place(r.Pickup, "pickup");
        if (!pickup.Ok) return pickup.Failure!;
        var dropoff = OrderRequestValidator.Place(r.Dropoff, "dropoff");
        if (!dropoff.Ok) return dropoff.Failure!;
        var zone = zones.Find(pickup.Value);
        if (zone is null) return Failure.BadRequest("pickup", $"Pickup {pickup.Value} is outside every zone served ({string.Join(", ", zones.All.Select(z => z.Name))}).");
        if (!zone.Contains(dropoff.Value)) return Failure.BadRequest("dropoff", $"Drop-off {dropoff.Value} is outside zone {zone.Name}, where the pickup is.");
        if (!ServiceCatalogue.Offers(service, zone.Name)) return Failure.BadRequest("serviceId", $"Service '{service.Id}' is not offered in zone {zone.Name}.");
        var stopCount = r.Stops?.Length ?? 0;
        if (service.Kind == ServiceKind.MultiStop && stopCount == 0) return Failure.BadRequest("stops", "A multi-stop errand needs at least one stop between pickup and drop-off.");
        if (service.Kind != ServiceKind.MultiStop && stopCount > 0) return Failure.BadRequest("stops", $"Service '{service.Id}' has no stops; choose a multi-stop errand to add some.");
        for (var i = 0; i < stopCount; i++)
        {
            if (TextRules.Check($"stops[{i}].address", r.Stops![i]?.Address, StopRules.MaxTextLength) is { } a) return Failure.BadRequest($"stops[{i}].address", a);
            if (TextRules.Check($"stops[{i}].note", r.Stops[i]?.Note, StopRules.MaxTextLength, multiLine: true) is { } n) return Failure.BadRequest($"stops[{i}].note", n);
        }
        var stops = OrderRequestValidator.Stops(r.Stops, zone);
        if (!stops.Ok) return stops.Failure!;
        var places = new List<QuotePlace> { new(pickup.Value.Lat, pickup.Value.Lon, r.Pickup!.Address?.Trim() ?? "") };
        places.AddRange(stops.Value!.Select(s => new QuotePlace(s.At.Lat, s.At.Lon, s.Address, s.Action == StopAction.Pickup ? "pickup" : "dropoff", s.Note)));
        places.Add(new QuotePlace(dropoff.Value.Lat, dropoff.Value.Lon, r.Dropoff!.Address?.Trim() ?? ""));
        return (service, zone, places);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quote {QuoteId}: {ServiceId} in {Zone}, {TotalCents} {Currency} for {Metres} m (by road: {ByRoad})")]
    private static partial void LogQuoted(ILogger logger, Guid quoteId, string serviceId, string zone, int totalCents, string currency, double metres, bool byRoad);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quote for customer {CustomerId} refused ({Field}): {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid customerId, string field, string reason);
}
