namespace Dispatch.Core.Payments;

/// <summary>What a provider says was paid, against what the order expects.</summary>
/// <param name="Field">The notification field that does not match (<c>amount</c> or <c>currency</c>); null when it matches.</param>
public sealed record PaymentCheck(bool Matches, string? Field, string? Reason)
{
    public static readonly PaymentCheck Ok = new(true, null, null);
}
