using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Docs;

/// <summary>
/// docs/configuration.md cannot drift from the options classes: every setting a section binds is in the table, and every
/// `Section__Key` the table names is a setting that exists.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepoPaths.Root(), "docs", "configuration.md"));

    /// <summary>Every bound setting of every options class (a type with a public const Section), as environment keys.</summary>
    public static IEnumerable<string> Settings()
    {
        var sections = typeof(Dispatch.Server.ServerComposition).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Section is { IsLiteral: true } && x.Section.FieldType == typeof(string));
        foreach (var (type, field) in sections)
        {
            foreach (var key in Keys(type, (string)field!.GetRawConstantValue()!)) yield return key;
        }
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic))
        {
            var name = p.GetCustomAttribute<Microsoft.Extensions.Configuration.ConfigurationKeyNameAttribute>()?.Name ?? p.Name;
            var key = $"{prefix}__{name}";
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var element = t.IsArray ? t.GetElementType()! : t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t) ? t.GetGenericArguments()[^1] : null;
            if (element is not null && IsScalar(element))
            {
                yield return key; // a list of values: documented as Key or Key__0
            }
            else if (element is not null)
            {
                foreach (var k in Keys(element, $"{key}__0")) yield return k;
            }
            else if (element is null && !IsScalar(t))
            {
                foreach (var k in Keys(t, key)) yield return k;
            }
            else
            {
                yield return key;
            }
        }
    }

    private static bool IsScalar(Type t) => t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan);

    [Fact]
    public void Every_setting_of_the_options_classes_is_in_the_table()
    {
        var missing = Settings().Where(k => !Doc.Contains($"`{k}`", StringComparison.Ordinal) && !Doc.Contains($"`{k}__0`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/configuration.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_setting_the_table_names_exists()
    {
        var known = Settings().ToHashSet();
        var named = SettingName().Matches(Doc).Select(m => ListIndex().Replace(m.Groups[1].Value, ""))
            .Where(k => !k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && k != "Section__Key").Distinct().ToList();
        Assert.NotEmpty(named);
        var unknown = named.Where(k => !known.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, "docs/configuration.md names settings no options class binds: " + string.Join(", ", unknown));
    }

    [GeneratedRegex(@"__\d+$")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+(?:__[A-Za-z0-9]+)+)`")]
    private static partial Regex SettingName();
}
