using System.Globalization;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Errands;

/// <summary>
/// The rules of buy-for-me errands. The courier buys the goods at the pickup, then sends the receipt amount and a photo
/// reference. At or under the customer's price cap it is approved at once; above it the customer approves or rejects it
/// on the tracking page. After a rejection the courier may send a new, lower receipt (having returned some goods); the
/// order cannot be delivered until a receipt is approved (a dispatcher can cancel or fail it instead). Pure: no I/O.
/// </summary>
public static class ReceiptRules
{
    /// <summary>Checks a price cap given when the order is created; null when it is fine.</summary>
    public static string? ValidateCap(int? priceCapCents) => priceCapCents switch
    {
        null => "buyForMe.priceCapCents is required: the most the courier may spend, in cents (2500 = 25.00).",
        <= 0 => $"buyForMe.priceCapCents must be positive; got {priceCapCents}.",
        > BuyForMe.MaxCents => $"buyForMe.priceCapCents must be at most {BuyForMe.MaxCents} ({Format(BuyForMe.MaxCents)}); got {priceCapCents}.",
        _ => null,
    };

    /// <summary>The courier submits the receipt of what they bought.</summary>
    /// <param name="errand">null when the order is not a buy-for-me errand</param>
    public static ReceiptDecision Submit(string orderNumber, OrderStatus status, BuyForMe? errand, int amountCents, string? photoRef)
    {
        if (errand is not { } e) return ReceiptDecision.Refuse($"Order {orderNumber} is not a buy-for-me errand; it takes no receipt.");
        if (OrderStateMachine.IsTerminal(status)) return ReceiptDecision.Refuse($"Order {orderNumber} is already {status}; its receipt can no longer change.");
        if (!OrderStateMachine.IsCarrying(status))
            return ReceiptDecision.Refuse($"Send the receipt of order {orderNumber} after you bought the goods and marked it picked up; the order is {status}.");
        switch (e.State)
        {
            case ReceiptState.Approved:
                return ReceiptDecision.Refuse($"The receipt of order {orderNumber} was already approved ({Format(e.ApprovedCents ?? 0)}); it cannot change now.");
            case ReceiptState.AwaitingCustomer:
                return ReceiptDecision.Refuse($"The receipt of order {orderNumber} ({Format(e.ReceiptCents ?? 0)}) is waiting for the customer's decision; wait for it before sending another.");
        }
        if (amountCents <= 0) return ReceiptDecision.Refuse($"The receipt amount must be positive, in cents (1240 = 12.40); got {amountCents}.");
        if (amountCents > BuyForMe.MaxCents)
            return ReceiptDecision.Refuse($"A receipt of {Format(amountCents)} is more than the {Format(BuyForMe.MaxCents)} a buy-for-me errand can carry; check the amount (in cents: 1240 = 12.40).");
        if (string.IsNullOrWhiteSpace(photoRef)) return ReceiptDecision.Refuse("Add a photo of the receipt (its link or reference) so the customer can check it.");
        if (photoRef.Length > BuyForMe.MaxPhotoRefLength) return ReceiptDecision.Refuse($"The receipt photo reference must be at most {BuyForMe.MaxPhotoRefLength} characters.");

        return amountCents <= e.PriceCapCents
            ? new ReceiptDecision(e with { State = ReceiptState.Approved, ReceiptCents = amountCents, ApprovedCents = amountCents }, null, AutoApproved: true)
            : new ReceiptDecision(e with { State = ReceiptState.AwaitingCustomer, ReceiptCents = amountCents, ApprovedCents = null }, null);
    }

    /// <summary>The customer approves or rejects a receipt over the cap.</summary>
    public static ReceiptDecision Decide(string orderNumber, OrderStatus status, BuyForMe? errand, bool approve)
    {
        var verb = approve ? "approved" : "rejected";
        if (errand is not { } e) return ReceiptDecision.Refuse($"Order {orderNumber} is not a buy-for-me errand; there is no receipt to be {verb}.");
        if (OrderStateMachine.IsTerminal(status)) return ReceiptDecision.Refuse($"Order {orderNumber} is already {status}; its receipt can no longer be {verb}.");
        return e.State switch
        {
            ReceiptState.None => ReceiptDecision.Refuse($"The courier has not sent a receipt for order {orderNumber} yet; there is nothing to be {verb}."),
            ReceiptState.Approved => ReceiptDecision.Refuse($"The receipt of order {orderNumber} was already approved ({Format(e.ApprovedCents ?? 0)})."),
            ReceiptState.Rejected => ReceiptDecision.Refuse($"You already rejected the receipt of order {orderNumber}; the courier may send a new one."),
            _ => approve
                ? new ReceiptDecision(e with { State = ReceiptState.Approved, ApprovedCents = e.ReceiptCents }, null)
                : new ReceiptDecision(e with { State = ReceiptState.Rejected, ApprovedCents = null }, null),
        };
    }

    /// <summary>Why a buy-for-me order cannot be delivered yet, or null when it can (approved receipt, or not an errand).</summary>
    public static string? BlocksDelivery(string orderNumber, BuyForMe? errand) => errand switch
    {
        null => null,
        { State: ReceiptState.Approved } => null,
        { State: ReceiptState.None } e => $"Order {orderNumber} is a buy-for-me errand: send the receipt (amount and photo) before delivering it. The cap is {Format(e.PriceCapCents)}.",
        { State: ReceiptState.AwaitingCustomer } e => $"The receipt of order {orderNumber} ({Format(e.ReceiptCents ?? 0)}) is over the cap of {Format(e.PriceCapCents)} and waits for the customer's approval; deliver once they approve.",
        { } e => $"The customer rejected the receipt of order {orderNumber}; return what is over the cap of {Format(e.PriceCapCents)} and send a new receipt before delivering.",
    };

    /// <summary>Cents as a plain amount with two decimals (2840 → "28.40"); the currency is shown by the caller.</summary>
    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>order_events note for a step (the row's status stays the order's status).</summary>
    public static string Note(ReceiptState state, int amountCents, int capCents, bool automatic) => state switch
    {
        ReceiptState.AwaitingCustomer => $"receipt {Format(amountCents)} over cap {Format(capCents)}: waiting for the customer",
        ReceiptState.Approved => automatic
            ? $"receipt {Format(amountCents)} within cap {Format(capCents)}: approved automatically"
            : $"receipt {Format(amountCents)} approved by the customer (cap {Format(capCents)})",
        ReceiptState.Rejected => $"receipt {Format(amountCents)} rejected by the customer (cap {Format(capCents)})",
        _ => $"receipt {Format(amountCents)}",
    };

    /// <summary>Prefix of every receipt note, so pages can tell them from status steps.</summary>
    public const string NotePrefix = "receipt ";
}
