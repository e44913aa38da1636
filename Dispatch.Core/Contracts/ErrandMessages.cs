using Dispatch.Core.Errands;

namespace Dispatch.Core.Contracts;

/// <summary>
/// A buy-for-me errand as the courier and the customer see it: the price cap, the shopping list and the receipt so far.
/// Amounts in cents; <paramref name="Currency"/> is an ISO 4217 code.
/// </summary>
public sealed record BuyForMeView(
    int PriceCapCents,
    string ShoppingList,
    ReceiptState Receipt,
    int? ReceiptCents,
    string? ReceiptPhotoRef,
    int? ApprovedCents,
    string Currency);

/// <summary>Courier → server: what the goods cost (cents) and a reference to a photo of the receipt (a URL or an upload id).</summary>
public sealed record ReceiptSubmission(int AmountCents, string PhotoRef);

/// <summary>The receipt of one order changed: submitted, approved or rejected. Sent to the courier and to the tracking page.</summary>
public sealed record ReceiptChanged(Guid OrderId, string OrderNumber, BuyForMeView BuyForMe, DateTimeOffset At);

/// <summary>Customer → server: a rating of a delivered order.</summary>
public sealed record RatingView(int Stars, string? Comment, DateTimeOffset At);

/// <summary>The signed-in courier's deliveries and earnings for the local day [From, To). Cents.</summary>
public sealed record EarningsSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    int Delivered,
    long FeesCents,
    long ReimbursedCents,
    string Currency);
