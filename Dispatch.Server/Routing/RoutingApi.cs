using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;

namespace Dispatch.Server.Routing;

/// <summary>GET /api/zones/{zone}/route?from=lat,lon&amp;to=lat,lon&amp;vehicle=bicycle — route preview for dispatchers and merchants.</summary>
internal static class RoutingApi
{
    public sealed record RouteView(string Zone, Vehicle Vehicle, double DistanceMetres, double DurationSeconds, double StraightLineMetres,
        double[] SnappedFrom, double[] SnappedTo, JsonElement Geometry);

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/zones/{zone}/route", async (string zone, string? from, string? to, string? vehicle, RoadRouter router, CancellationToken ct) =>
        {
            var a = LatLon.TryParse(from);
            if (a is not { IsInRange: true }) return Failure.BadRequest("from", "from must be \"lat,lon\" in degrees, e.g. from=43.7396,7.4276").ToProblem();
            var b = LatLon.TryParse(to);
            if (b is not { IsInRange: true }) return Failure.BadRequest("to", "to must be \"lat,lon\" in degrees, e.g. to=43.7309,7.4197").ToProblem();
            var mode = Vehicle.Bicycle;
            if (vehicle is not null && (vehicle.Length == 0 || !char.IsAsciiLetter(vehicle[0]) || !Enum.TryParse(vehicle, ignoreCase: true, out mode) || !Enum.IsDefined(mode)))
                return Failure.BadRequest("vehicle", $"vehicle must be one of {string.Join(", ", Enum.GetNames<Vehicle>().Select(n => n.ToLowerInvariant()))}.").ToProblem();
            var outcome = await router.RouteAsync(zone, a.Value, b.Value, mode, ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            var r = outcome.Value!;
            return Results.Ok(new RouteView(r.Zone, r.Vehicle, Math.Round(r.DistanceMetres, 1), Math.Round(r.DurationSeconds), Math.Round(r.StraightLineMetres, 1),
                [r.SnappedFrom.Lat, r.SnappedFrom.Lon], [r.SnappedTo.Lat, r.SnappedTo.Lon], JsonDocument.Parse(r.GeometryGeoJson).RootElement.Clone()));
        }).RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Merchant, Roles.Admin));
        return app;
    }
}
