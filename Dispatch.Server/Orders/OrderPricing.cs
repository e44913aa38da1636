using System.Text.Json;
using Dispatch.Core.Payments;
using Dispatch.Core.Pricing;
using Dispatch.Server.Common;

namespace Dispatch.Server.Orders;

/// <summary>
/// The price a merchant's order carries: an optional delivery fee (cents) in an optional currency (the server's
/// Dispatch:Currency when left out). No fee: the order is unpriced, as before, and its payment callback's amount is not checked.
/// Also reads and writes the order's price lines column.
/// </summary>
internal static class OrderPricing
{
    /// <summary>The most a delivery fee may be, cents.</summary>
    public const int MaxFeeCents = 1_000_000;

    public static Outcome<(PriceLine[]? Lines, int? Cents, string? Currency)> Validate(CreateOrderRequest request, string defaultCurrency)
    {
        if (request.DeliveryFeeCents is not { } fee)
        {
            if (request.Currency is not null) return Failure.BadRequest("currency", "currency is the currency of deliveryFeeCents; send both or neither.");
            return (null, null, null);
        }
        if (fee is < 0 or > MaxFeeCents) return Failure.BadRequest("deliveryFeeCents", $"deliveryFeeCents is a whole number of cents from 0 to {MaxFeeCents}.");
        var currency = request.Currency ?? defaultCurrency;
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            return Failure.BadRequest("currency", "currency is an ISO 4217 code in capitals, such as EUR or CNY.");
        return (new[] { new PriceLine("delivery", "Delivery", fee) }, fee, currency);
    }

    public static string? WriteLines(IReadOnlyList<PriceLine>? lines) => lines is null ? null : JsonSerializer.Serialize(lines, JsonSerializerOptions.Web);

    public static PriceLine[] ReadLines(string? json) => json is null ? [] : JsonSerializer.Deserialize<PriceLine[]>(json, JsonSerializerOptions.Web) ?? [];
}
