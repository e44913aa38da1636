namespace Dispatch.Core.Errands;

/// <summary>Where the receipt of a buy-for-me errand stands. Numeric values are stored; never renumber.</summary>
public enum ReceiptState
{
    /// <summary>No receipt yet (or not a buy-for-me order).</summary>
    None = 0,

    /// <summary>The receipt is over the price cap; the customer must approve or reject it.</summary>
    AwaitingCustomer = 1,

    /// <summary>Approved, automatically (at or under the cap) or by the customer. Final.</summary>
    Approved = 2,

    /// <summary>The customer rejected an over-cap receipt; the courier may send a new one (after returning some goods).</summary>
    Rejected = 3,
}
