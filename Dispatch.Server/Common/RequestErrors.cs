using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Common;

/// <summary>
/// Turns what the framework says about an unreadable request (JSON that does not parse or does not fit the types, a query
/// value of the wrong type, a body too large) into the field it is about and a sentence saying what is expected.
/// Never the exception's own text, which names internal types.
/// </summary>
public static partial class RequestErrors
{
    public const string BodyField = "body";

    public const string NotJson = "Send the body as JSON (Content-Type: application/json).";

    /// <summary>The field and what is wrong with it, for a refused HTTP request.</summary>
    public static (string Field, string Detail) Describe(BadHttpRequestException ex, long? bodyLimit)
    {
        if (ex.StatusCode == StatusCodes.Status413PayloadTooLarge) return (BodyField, TooLarge(bodyLimit));
        if (ex.StatusCode == StatusCodes.Status415UnsupportedMediaType) return (BodyField, NotJson);
        if (ex.InnerException is JsonException json) return Describe(json);
        if (BindFailure().Match(ex.Message) is { Success: true } bind)
            return (bind.Groups["name"].Value, $"{bind.Groups["name"].Value} must be {Expected(bind.Groups["type"].Value)}.");
        if (MissingParameter().Match(ex.Message) is { Success: true } missing)
            return (missing.Groups["name"].Value == "request" ? BodyField : missing.Groups["name"].Value, $"{missing.Groups["name"].Value} is required.");
        return (BodyField, "The request could not be read; send the documented JSON body and query parameters.");
    }

    /// <summary>The field (JSON path without the leading <c>$.</c>, <c>body</c> for the whole document) and what is wrong.</summary>
    public static (string Field, string Detail) Describe(JsonException ex)
    {
        var field = Field(ex.Path);
        var converted = ConvertedTo().Match(ex.Message);
        if (converted.Success) return (field, $"{field} must be {Expected(converted.Groups["type"].Value)}.");
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {column + 1})")
            : "";
        return (field, $"The JSON is malformed at {field}{where}: check quotes, commas and brackets.");
    }

    public static string TooLarge(long? limit) => limit is { } bytes
        ? string.Create(CultureInfo.InvariantCulture, $"The body is larger than this endpoint accepts ({bytes} bytes at most).")
        : "The body is larger than this endpoint accepts.";

    /// <summary><c>$.stops[1].lat</c> → <c>stops[1].lat</c>; <c>$</c> or nothing → <c>body</c>.</summary>
    public static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return BodyField;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    /// <summary>What a value of a .NET type looks like in JSON, in words (enums: their names, camelCase).</summary>
    public static string Expected(string typeName)
    {
        var name = typeName.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        return name switch
        {
            "System.Double" or "System.Single" or "System.Decimal" or "double" or "float" or "decimal" => "a finite number (not a string, NaN or Infinity)",
            "System.Int32" or "System.Int64" or "System.Int16" or "int" or "long" => "a whole number within range",
            "System.Boolean" or "bool" => "true or false",
            "System.Guid" or "Guid" => "an id (a GUID such as 0193a1b2-0000-7000-8000-000000000000)",
            "System.DateTimeOffset" or "System.DateTime" or "DateTimeOffset" or "DateTime" => "an ISO 8601 date-time such as 2026-12-06T14:30:00Z",
            "System.String" or "string" => "a string",
            _ when name.EndsWith("[]", StringComparison.Ordinal) || name.StartsWith("System.Collections", StringComparison.Ordinal) => "a list",
            _ when typeof(OrderKind).Assembly.GetType(name) is { IsEnum: true } e =>
                $"one of {string.Join(", ", Enum.GetNames(e).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))} (by name)",
            _ => "an object as documented",
        };
    }

    [GeneratedRegex(@"converted to (?<type>[^ ]+?)\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from""", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?<type>[^ "]+) (?<name>[^ "]+)" was not provided""", RegexOptions.CultureInvariant)]
    private static partial Regex MissingParameter();
}
