namespace Dispatch.Core.Notifications;

/// <summary>The languages customer messages are written in (BCP 47 tags). Adding one: a tag here and its templates.</summary>
public static class CustomerLanguages
{
    public const string English = "en";
    public const string SimplifiedChinese = "zh-Hans";
    public const string French = "fr";

    public static readonly IReadOnlyList<string> Supported = [English, SimplifiedChinese, French];

    /// <summary>The supported tag <paramref name="tag"/> names (any letter case), or null when it is not supported.</summary>
    public static string? Normalize(string? tag) =>
        tag is null ? null : Supported.FirstOrDefault(s => string.Equals(s, tag.Trim(), StringComparison.OrdinalIgnoreCase));
}
