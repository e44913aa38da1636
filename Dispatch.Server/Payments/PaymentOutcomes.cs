namespace Dispatch.Server.Payments;

/// <summary>What came of a payments row.</summary>
internal static class PaymentOutcomes
{
    public const string Started = "started";

    /// <summary>The provider refused to start the try.</summary>
    public const string Refused = "refused";

    public const string Paid = "paid";

    public const string Failed = "failed";

    /// <summary>Not final yet (the buyer has not paid): nothing changed.</summary>
    public const string Waiting = "waiting";

    /// <summary>Amount or currency did not match the order: it stays unpaid and the board raises an alert.</summary>
    public const string Mismatch = "mismatch";

    /// <summary>Paid after the order was cancelled or paid already.</summary>
    public const string Late = "late";
}
