using System.Globalization;

namespace Dispatch.Core.Pricing;

/// <summary>Prices a trip by a <see cref="PricingRule"/>. Pure: every input is a parameter, every amount integer cents.</summary>
public static class PriceCalculator
{
    public static PriceBreakdown Price(PricingRule rule, PricedTrip trip)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(trip);
        var lines = new List<PriceLine> { new("base", "Base fare", rule.BaseCents) };
        // Charged per started 100 m so a few metres more never jump a whole kilometre's fare.
        var hectometres = (int)Math.Ceiling(Math.Max(0, trip.Metres) / 100.0);
        var distance = (int)Math.Round(hectometres * rule.PerKmCents / 10m, MidpointRounding.AwayFromZero);
        lines.Add(new("distance", string.Create(CultureInfo.InvariantCulture, $"{hectometres / 10.0:0.0} km"), distance));
        if (trip.ExtraStops > 0 && rule.PerExtraStopCents > 0)
            lines.Add(new("stops", string.Create(CultureInfo.InvariantCulture, $"{trip.ExtraStops} extra stop{(trip.ExtraStops == 1 ? "" : "s")}"), trip.ExtraStops * rule.PerExtraStopCents));
        if (trip.ColdChain && rule.ColdChainCents > 0) lines.Add(new("coldChain", "Cold-chain surcharge", rule.ColdChainCents));

        var subtotal = lines.Sum(l => l.AmountCents);
        var night = rule.Night is { } n && n.Contains(trip.LocalMinuteOfDay) ? rule.NightMultiplier : 1m;
        var rush = rule.RushHours.Any(w => w.Contains(trip.LocalMinuteOfDay)) ? rule.RushMultiplier : 1m;
        var (code, label, factor) = night >= rush ? ("night", "Night", night) : ("rush", "Rush hour", rush);
        if (factor > 1m)
        {
            var extra = (int)Math.Round(subtotal * (factor - 1m), MidpointRounding.AwayFromZero);
            lines.Add(new(code, string.Create(CultureInfo.InvariantCulture, $"{label} ×{factor:0.##}"), extra));
        }

        var total = lines.Sum(l => l.AmountCents);
        if (total < rule.MinimumCents)
        {
            lines.Add(new("minimum", "Minimum fare", rule.MinimumCents - total));
            total = rule.MinimumCents;
        }
        return new PriceBreakdown(rule.Currency, lines, total);
    }
}
