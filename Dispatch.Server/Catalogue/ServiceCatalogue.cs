using Dispatch.Core.Pricing;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Catalogue;

/// <summary>The configured services with their pricing rules read once at start (settings are validated by <see cref="Check"/>).</summary>
internal sealed class ServiceCatalogue(IOptions<CatalogueOptions> options, IOptions<DispatchOptions> dispatch)
{
    private readonly CatalogueService[] _services = [.. options.Value.Services.Select(s => Build(s, dispatch.Value.Currency))];

    public IReadOnlyList<CatalogueService> All => _services;

    public CatalogueService? Find(string? id) => Array.Find(_services, s => string.Equals(s.Id, id, StringComparison.Ordinal));

    /// <summary>Services offered in <paramref name="zone"/> (any when null) of <paramref name="kind"/>, matching every word of <paramref name="query"/>.</summary>
    public IEnumerable<CatalogueService> Search(string? zone, string? query, ServiceKind? kind)
    {
        var words = (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return _services.Where(s =>
            (zone is null || Offers(s, zone)) &&
            (kind is null || s.Kind == kind) &&
            words.All(w => s.Name.Contains(w, StringComparison.OrdinalIgnoreCase) || s.Description.Contains(w, StringComparison.OrdinalIgnoreCase)
                || s.Keywords.Any(k => k.Contains(w, StringComparison.OrdinalIgnoreCase))));
    }

    public static bool Offers(CatalogueService service, string zone) => service.Zones.Length == 0 || service.Zones.Contains(zone, StringComparer.Ordinal);

    /// <summary>Null when the settings make a catalogue, else the first problem (start-up validation).</summary>
    public static string? Check(CatalogueOptions o)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _)) return $"Catalogue:TimeZone '{o.TimeZone}' is not a time zone this machine knows.";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Services.Count; i++)
        {
            var s = o.Services[i];
            var at = $"Catalogue:Services:{i}";
            if (!System.Text.RegularExpressions.Regex.IsMatch(s.Id, "^[a-z0-9-]{1,64}$")) return $"{at}:Id must be 1–64 lower-case letters, digits or '-'.";
            if (!ids.Add(s.Id)) return $"{at}:Id '{s.Id}' is used twice.";
            if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Length > 100) return $"{at}:Name is required (at most 100 characters).";
            if (!Enum.IsDefined(s.Kind)) return $"{at}:Kind must be one of {string.Join(", ", Enum.GetNames<ServiceKind>())}.";
            if (s.Currency.Length is not (0 or 3)) return $"{at}:Currency must be an ISO 4217 code such as EUR.";
            if (s.BaseCents < 0 || s.PerKmCents < 0 || s.PerExtraStopCents < 0 || s.ColdChainCents < 0 || s.MinimumCents < 0) return $"{at}: amounts must not be negative.";
            if (s.NightMultiplier is < 1m or > 5m || s.RushMultiplier is < 1m or > 5m) return $"{at}: multipliers must be between 1 and 5.";
            if (s.Night.Length > 0 && TimeWindow.TryParse(s.Night) is null) return $"{at}:Night must be \"HH:mm-HH:mm\".";
            if (s.RushHours.Any(w => TimeWindow.TryParse(w) is null)) return $"{at}:RushHours must be windows \"HH:mm-HH:mm\".";
        }
        return null;
    }

    private static CatalogueService Build(ServiceOptions s, string currency) => new(
        s.Id, s.Name, s.Kind, s.Description, [.. s.Keywords], [.. s.Zones],
        new PricingRule(
            s.Currency.Length == 3 ? s.Currency : currency, s.BaseCents, s.PerKmCents, s.PerExtraStopCents, s.ColdChainCents,
            s.NightMultiplier, TimeWindow.TryParse(s.Night), s.RushMultiplier, [.. s.RushHours.Select(w => TimeWindow.TryParse(w)!.Value)], s.MinimumCents));
}
