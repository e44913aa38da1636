using System.Globalization;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Pricing;

/// <summary>Whether an order may be placed from a quote: the quote is still valid and the order asks for what was priced.</summary>
public static class QuoteRules
{
    /// <summary>Places closer than this are the same place (a map pin re-sent with rounded coordinates), metres.</summary>
    public const double SamePlaceMetres = 5;

    /// <summary>Null when the order may be placed from the quote, else why not (the customer's message).</summary>
    public static string? Check(QuotedTrip quoted, DateTimeOffset expiresAt, QuotedTrip? requested, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quoted);
        if (now >= expiresAt)
            return string.Create(CultureInfo.InvariantCulture, $"The quote expired at {expiresAt:yyyy-MM-ddTHH:mm:ssZ}; ask for a new quote (prices may have changed).");
        if (requested is null) return null;
        if (!string.Equals(requested.ServiceId, quoted.ServiceId, StringComparison.Ordinal))
            return $"The quote is for service '{quoted.ServiceId}', not '{requested.ServiceId}'; ask for a quote for the service you want.";
        if (requested.Places.Count != quoted.Places.Count)
            return $"The quote has {quoted.Places.Count - 2} stops between pickup and drop-off, the order {requested.Places.Count - 2}; ask for a new quote.";
        for (var i = 0; i < quoted.Places.Count; i++)
        {
            // Written as "not within" so a place without coordinates (NaN) is a difference too.
            if (!(GeoMath.DistanceMetres(quoted.Places[i], requested.Places[i]) <= SamePlaceMetres))
                return $"The order's {PlaceName(i, quoted.Places.Count)} is not where the quote's is; ask for a new quote for the new places.";
        }
        return null;
    }

    private static string PlaceName(int index, int count) =>
        index == 0 ? "pickup" : index == count - 1 ? "drop-off" : string.Create(CultureInfo.InvariantCulture, $"stop {index}");
}
