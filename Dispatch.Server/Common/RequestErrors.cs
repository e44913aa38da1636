using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Common;

/// <summary>
/// Turns what the framework says about an unreadable request (JSON that does not parse or does not fit the types, a query
/// value of the wrong type, a body too large) into the field it is about and a sentence saying what is expected.
/// Never the exception's own text, which names internal types.
/// </summary>
internal static partial class RequestErrors
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
        if (converted.Success) return (field, $"{field} must be {Expected(converted.Groups["type"].Value, LastName(field))}.");
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {column + 1})")
            : "";
        return (field, $"The JSON is malformed at {field}{where}: check quotes, commas and brackets.");
    }

    private static string? LastName(string field)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        return name.Length == 0 || name.Contains('[', StringComparison.Ordinal) ? null : name;
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

    /// <summary>
    /// What a value of a .NET type looks like in JSON, in words (enums: their names, camelCase). When the framework names
    /// the record that failed rather than its property, <paramref name="property"/> (the path's last name) picks the property.
    /// </summary>
    public static string Expected(string typeName, string? property = null)
    {
        var name = typeName.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        var type = Type.GetType(name) ?? typeof(OrderKind).Assembly.GetType(name) ?? typeof(RequestErrors).Assembly.GetType(name);
        if (type is { IsClass: true } && type != typeof(string) && property is not null
            && type.GetProperty(property, BindingFlags.IgnoreCase | BindingFlags.Public | BindingFlags.Instance) is { } p)
            type = p.PropertyType;
        return ExpectedOf(type);
    }

    /// <summary>What a value of <paramref name="type"/> looks like in JSON or MessagePack, in words.</summary>
    public static string ExpectedOf(Type? type) => Describe(type) ?? "an object as documented";

    private static string? Describe(Type? type)
    {
        if (type is null) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))} (by name)";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a finite number (not a string, NaN or Infinity)";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "a whole number within range";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(Guid)) return "an id (a GUID such as 0193a1b2-0000-7000-8000-000000000000)";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "an ISO 8601 date-time such as 2026-12-06T14:30:00Z";
        if (type == typeof(string)) return "a string";
        if (type.IsArray || type.IsAssignableTo(typeof(System.Collections.IEnumerable))) return "a list";
        if (type.IsClass && type.Namespace?.StartsWith("Dispatch.", StringComparison.Ordinal) == true)
            return $"an object {{{string.Join(", ", type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)))}}}";
        return null;
    }

    [GeneratedRegex(@"converted to (?<type>[^ ]+?)\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from""", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?<type>[^ "]+) (?<name>[^ "]+)" was not provided""", RegexOptions.CultureInvariant)]
    private static partial Regex MissingParameter();
}
