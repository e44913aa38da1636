using System.Diagnostics.CodeAnalysis;

namespace Dispatch.Core.Orders;

/// <summary>
/// Phone numbers as international E.164 numbers ("+33612345678"): the one form stored, hashed for search and masked.
/// Written forms accepted: "+33 6 12 34 56 78", "0033 6.12.34.56.78", "(06) 12-34-56-78" (a national number: its trunk 0
/// is replaced by the default country calling code).
/// </summary>
public static class PhoneNumbers
{
    /// <summary>Digits in a whole number, country code included (E.164 allows at most 15; 8 rules out short codes and typos).</summary>
    public const int MinDigits = 8, MaxDigits = 15;

    /// <summary>Longest text read as a phone number, separators included.</summary>
    public const int MaxLength = 32;

    /// <summary>Digits the board's partial search takes, and the suffix hashed for it.</summary>
    public const int SuffixDigits = 6;

    /// <summary>Normalises <paramref name="text"/> to E.164, or says in <paramref name="error"/> what is wrong, for people.</summary>
    public static bool TryNormalize(string? text, int defaultCountryCallingCode, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? error)
    {
        e164 = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is required: the customer's phone number, e.g. +33 6 12 34 56 78.";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"is longer than {MaxLength} characters.";
            return false;
        }
        var trimmed = text.Trim();
        var plus = trimmed.StartsWith('+');
        Span<char> digits = stackalloc char[MaxLength];
        var count = 0;
        foreach (var c in plus ? trimmed.AsSpan(1) : trimmed.AsSpan())
        {
            if (char.IsAsciiDigit(c)) digits[count++] = c;
            else if (c is not (' ' or '.' or '-' or '(' or ')'))
            {
                error = "may hold only digits, spaces, dots, dashes, parentheses and a leading +.";
                return false;
            }
        }
        string international;
        if (plus) international = new string(digits[..count]);
        else if (count >= 2 && digits[0] == '0' && digits[1] == '0') international = new string(digits[2..count]);
        else if (count >= 1 && digits[0] == '0') international = string.Concat(defaultCountryCallingCode.ToString(System.Globalization.CultureInfo.InvariantCulture), digits[1..count]);
        else
        {
            error = "must start with + and the country code (+33 6 12 34 56 78), 00, or 0 for a national number.";
            return false;
        }
        if (international.Length == 0 || international[0] == '0')
        {
            error = "has no country code: after + or 00 comes the country calling code (33 for France, 377 for Monaco).";
            return false;
        }
        if (international.Length is < MinDigits or > MaxDigits)
        {
            error = $"has {international.Length} digits with its country code; an international number has {MinDigits}–{MaxDigits}.";
            return false;
        }
        e164 = "+" + international;
        error = null;
        return true;
    }

    /// <summary>The digits of any written number ("+33 6 12…" → "33612…").</summary>
    public static string Digits(string? text) => text is null ? "" : new string([.. text.Where(char.IsAsciiDigit)]);
}
