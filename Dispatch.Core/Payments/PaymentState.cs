namespace Dispatch.Core.Payments;

/// <summary>Where an order's money stands. Stored as an integer; new values go at the end.</summary>
public enum PaymentState
{
    /// <summary>Not paid yet (or an earlier try failed and a new one may come).</summary>
    Pending = 0,

    Paid = 1,

    /// <summary>The provider said the last try failed; the order stays Placed and may be paid again.</summary>
    Failed = 2,

    /// <summary>Everything paid was given back.</summary>
    Refunded = 3,

    /// <summary>Part of what was paid was given back.</summary>
    PartlyRefunded = 4,
}
