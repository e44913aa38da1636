using System.Globalization;

namespace Dispatch.Core.Validation;

/// <summary>
/// What text a client may have stored or shown: at most a field's length, and no control characters (NUL and the rest of
/// C0, DEL, C1; PostgreSQL refuses NUL and terminals obey escapes) and no broken UTF-16 (a lone surrogate cannot be
/// encoded as UTF-8). Newlines and tabs only where a field is multi-line (notes, shopping lists, comments). Pure.
/// </summary>
public static class TextRules
{
    /// <summary>Names, addresses, items, reasons, keys: one line.</summary>
    public const int MaxLineLength = 300;

    /// <summary>Why <paramref name="text"/> cannot be stored in <paramref name="field"/>, or null when it can (null text is fine).</summary>
    public static string? Check(string field, string? text, int maxLength, bool multiLine = false)
    {
        if (text is null) return null;
        if (text.Length > maxLength)
            return string.Create(CultureInfo.InvariantCulture, $"{field} must be at most {maxLength} characters; it has {text.Length}.");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                if (multiLine && c is '\n' or '\r' or '\t') continue;
                return string.Create(CultureInfo.InvariantCulture,
                    $"{field} contains a control character (U+{(int)c:X4} at position {i + 1}); send plain text{(multiLine ? " (newlines and tabs are fine)" : "")}.");
            }
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                return string.Create(CultureInfo.InvariantCulture, $"{field} contains a broken character (a lone UTF-16 surrogate at position {i + 1}).");
            }
        }
        return null;
    }

    /// <summary>The first problem among <paramref name="texts"/>, each named <c>field[i]</c>.</summary>
    public static (string Field, string Message)? CheckAll(string field, IReadOnlyList<string>? texts, int maxLength)
    {
        if (texts is null) return null;
        for (var i = 0; i < texts.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
            if (Check(name, texts[i], maxLength) is { } problem) return (name, problem);
        }
        return null;
    }
}
