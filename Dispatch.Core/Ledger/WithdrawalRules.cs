namespace Dispatch.Core.Ledger;

/// <summary>What a courier may withdraw and what an admin's decision needs. Errors name the field.</summary>
public static class WithdrawalRules
{
    /// <summary>Why a request for <paramref name="amount"/> against <paramref name="settled"/> (the courier's settled balance) is refused; null when allowed.</summary>
    public static (string Field, string Message)? RequestError(long? amount, long settled)
    {
        if (amount is not { } a || a <= 0) return ("amountCents", "amountCents is a positive whole number of minor units.");
        if (a > settled)
            return ("amountCents", settled <= 0
                ? $"Nothing is settled to withdraw yet (asked {a}); earnings settle the day after they are earned."
                : $"amountCents {a} is more than your settled balance {settled}.");
        return null;
    }

    /// <summary>Why an admin's text (payout reference or reason) is refused; null when it will do.</summary>
    public static (string Field, string Message)? TextError(string field, string? text, int max)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t)) return (field, $"{field} is required.");
        if (t.Length > max) return (field, $"{field} is at most {max} characters.");
        return null;
    }
}
