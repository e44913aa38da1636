namespace Dispatch.Core.Orders;

/// <summary>
/// Masks phone numbers for display so that at least half of the digits are always hidden: of n digits at most n/2 show,
/// at most 3 at the start and 4 at the end (15 digits: 377********5570; 12: 377******570; 8: 12****78).
/// </summary>
public static class PhoneMask
{
    public static string Mask(string? phone)
    {
        var digits = PhoneNumbers.Digits(phone);
        if (digits.Length == 0) return "";
        var shown = digits.Length / 2;
        var head = Math.Min(3, shown / 2);
        var tail = Math.Min(4, shown - head);
        return string.Concat(digits.AsSpan(0, head), new string('*', digits.Length - head - tail), digits.AsSpan(digits.Length - tail));
    }
}
