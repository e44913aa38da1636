namespace Dispatch.Core.Errands;

/// <summary>
/// What an order knows about its buy-for-me errand: the customer's price cap and the receipt so far. Amounts in cents.
/// </summary>
public readonly record struct BuyForMe(int PriceCapCents, ReceiptState State, int? ReceiptCents, int? ApprovedCents)
{
    /// <summary>The largest price cap and receipt accepted, in cents (1,000.00): above it an amount is a typo, not shopping.</summary>
    public const int MaxCents = 100_000;

    /// <summary>Longest shopping list, characters.</summary>
    public const int MaxShoppingListLength = 1_000;

    /// <summary>Longest receipt photo reference (a URL or an id from the photo store), characters.</summary>
    public const int MaxPhotoRefLength = 500;
}
