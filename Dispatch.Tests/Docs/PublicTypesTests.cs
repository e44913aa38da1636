using Microsoft.EntityFrameworkCore.Migrations;

namespace Dispatch.Tests.Docs;

/// <summary>
/// The server's types are internal unless a project that is not a friend (the tests and the benchmarks see internals), or a
/// framework, needs them public (issue 18). The test fails on a public server type that is not allowed below with why, and
/// on an allowance that no longer matches a public type (take it off the list).
/// </summary>
public sealed class PublicTypesTests
{
    /// <summary>Public server types, by base type, each with its reason; shrink this list, do not grow it.</summary>
    public static readonly (Type BaseType, string Reason)[] Allowed =
    [
        (typeof(Migration), "dotnet ef generates migrations public, and generated files stay as generated"),
    ];

    private static Type[] PublicServerTypes() =>
        typeof(Dispatch.Server.ServerComposition).Assembly.GetTypes().Where(t => t.IsPublic).ToArray();

    private static bool IsAllowed(Type type) => Allowed.Any(a => a.BaseType.IsAssignableFrom(type));

    [Fact]
    public void Server_types_are_internal_unless_allowed()
    {
        var unexpected = PublicServerTypes().Where(t => !IsAllowed(t)).Select(t => t.FullName).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexpected.Count == 0,
            "Public server types that no other project needs (make them internal, or allow them here with the reason):\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public void Every_allowance_still_matches_a_public_type()
    {
        var types = PublicServerTypes();
        var unused = Allowed.Where(a => !types.Any(a.BaseType.IsAssignableFrom)).Select(a => a.BaseType.Name).ToList();
        Assert.True(unused.Count == 0, "Allowances that no public server type uses (take them off the list): " + string.Join(", ", unused));
    }
}
