using Dispatch.Core.Pricing;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;

namespace Dispatch.Server.Catalogue;

/// <summary>GET /api/services (anyone: the catalogue is public) and POST /api/quotes (a signed-in customer).</summary>
internal static class CatalogueApi
{
    /// <summary>A service in the catalogue answer, with its pricing rule for the page to explain.</summary>
    public sealed record ServiceView(string Id, string Name, ServiceKind Kind, string Description, string[] Keywords, string[] Zones, PricingView Pricing);

    /// <summary>A pricing rule as shown; cents of <see cref="Currency"/>, windows "HH:mm-HH:mm".</summary>
    public sealed record PricingView(
        string Currency, int BaseCents, int PerKmCents, int PerExtraStopCents, int ColdChainCents,
        decimal NightMultiplier, string? Night, decimal RushMultiplier, string[] RushHours, int MinimumCents);

    public static IEndpointRouteBuilder MapCatalogueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/services", (string? zone, string? q, string? kind, ServiceCatalogue catalogue, Core.Zones.ZoneMap zones) =>
        {
            if (!string.IsNullOrEmpty(zone) && zones.ByName(zone) is null) return Results.Ok(Array.Empty<ServiceView>()); // nothing is offered where nobody delivers
            if (q is { Length: > 100 }) return Failure.BadRequest("q", "q must be at most 100 characters.").ToProblem();
            ServiceKind? wanted = null;
            if (!string.IsNullOrEmpty(kind))
            {
                if (!Enum.TryParse<ServiceKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k))
                    return Failure.BadRequest("kind", $"kind must be one of {string.Join(", ", Enum.GetNames<ServiceKind>().Select(Camel))}.").ToProblem();
                wanted = k;
            }
            return Results.Ok(catalogue.Search(string.IsNullOrEmpty(zone) ? null : zone, q, wanted).Select(View).ToArray());
        }).AllowAnonymous();
        app.MapPost("/api/quotes", async (QuoteRequest? request, System.Security.Claims.ClaimsPrincipal user, QuoteCoordinator quotes, CancellationToken ct) =>
        {
            if (request is null) return Failure.BadRequest("body", "Send the trip as JSON: {serviceId, pickup, dropoff, stops}.").ToProblem();
            var outcome = await quotes.QuoteAsync(CustomerPrincipal.CustomerId(user), request, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        }).RequireAuthorization(p => p.RequireRole(Roles.Customer)).WithBodyLimit(BodyLimits.Order).RequireRateLimiting(RateLimits.Orders);
        return app;
    }

    private static ServiceView View(CatalogueService s)
    {
        var p = s.Pricing;
        return new ServiceView(s.Id, s.Name, s.Kind, s.Description, s.Keywords, s.Zones, new PricingView(
            p.Currency, p.BaseCents, p.PerKmCents, p.PerExtraStopCents, p.ColdChainCents, p.NightMultiplier, p.Night is { } n ? Window(n) : null,
            p.RushMultiplier, [.. p.RushHours.Select(Window)], p.MinimumCents));
    }

    private static string Window(TimeWindow w) => $"{w.StartMinute / 60:00}:{w.StartMinute % 60:00}-{w.EndMinute / 60:00}:{w.EndMinute % 60:00}";

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
