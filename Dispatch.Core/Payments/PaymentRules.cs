using System.Globalization;

namespace Dispatch.Core.Payments;

/// <summary>Pure payment decisions: does a notification match its order, and what state follows a refund.</summary>
public static class PaymentRules
{
    /// <summary>
    /// A priced order (<paramref name="expectedCents"/> set) must be paid exactly its total in its currency. An unpriced order
    /// (older merchants, who collect the money themselves) takes any amount: the callback only confirms that it was paid.
    /// </summary>
    public static PaymentCheck Check(int? expectedCents, string? expectedCurrency, long? paidCents, string? paidCurrency)
    {
        if (expectedCents is not { } expected) return PaymentCheck.Ok;
        if (paidCents is not { } paid)
            return new PaymentCheck(false, "amount", $"The order costs {Format(expected)} {expectedCurrency}; the notification gave no amount.");
        if (paid != expected)
            return new PaymentCheck(false, "amount", $"The order costs {Format(expected)} {expectedCurrency}; the notification says {Format(paid)} was paid.");
        if (!string.Equals(paidCurrency, expectedCurrency, StringComparison.OrdinalIgnoreCase))
            return new PaymentCheck(false, "currency", $"The order is priced in {expectedCurrency}; the notification says {paidCurrency ?? "no currency"}.");
        return PaymentCheck.Ok;
    }

    /// <summary>The state once <paramref name="refundedCents"/> of <paramref name="paidCents"/> went back.</summary>
    public static PaymentState AfterRefund(int paidCents, int refundedCents) =>
        refundedCents <= 0 ? PaymentState.Paid : refundedCents >= paidCents ? PaymentState.Refunded : PaymentState.PartlyRefunded;

    /// <summary>Cents as a decimal amount with two places and a dot ("12.05"), as Alipay and the generic callback write money.</summary>
    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A decimal amount ("12.05", 12.5) as cents; null when it has more than two decimals or is out of range.</summary>
    public static long? ToCents(decimal amount)
    {
        var cents = amount * 100m;
        if (cents != decimal.Truncate(cents) || cents < 0 || cents > int.MaxValue) return null;
        return (long)cents;
    }
}
