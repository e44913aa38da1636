using Dispatch.Core.Deployment;

namespace Dispatch.Tests.Core;

public sealed class SchemaCheckTests
{
    private static readonly string[] Known = ["20260101000000_Initial", "20260102000000_Zones", "20260103000000_Encrypt", "20260104000000_Outbox"];

    private static readonly Dictionary<string, string> NotReversible = new()
    {
        ["20260101000000_Initial"] = "the whole schema",
        ["20260103000000_Encrypt"] = "cannot decrypt in SQL",
    };

    [Fact]
    public void A_database_at_this_versions_last_migration_is_up_to_date()
    {
        var state = SchemaCheck.Compare(Known, Known.Reverse().ToArray());
        Assert.True(state.UpToDate);
        Assert.Equal("", state.Describe());
    }

    [Fact]
    public void An_older_database_has_pending_migrations_in_order()
    {
        var state = SchemaCheck.Compare(Known, [Known[0], Known[1]]);
        Assert.Equal([Known[2], Known[3]], state.Pending);
        Assert.Empty(state.Unknown);
        Assert.Contains("lacks 2 migration(s)", state.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_a_newer_version_migrated_has_unknown_migrations()
    {
        var state = SchemaCheck.Compare(Known, [.. Known, "20260105000000_Newer"]);
        Assert.Equal(["20260105000000_Newer"], state.Unknown);
        Assert.Contains("does not know (20260105000000_Newer); a newer version migrated it", state.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20260104000000_Outbox", "20260104000000_Outbox")]
    [InlineData("outbox", "20260104000000_Outbox")]
    [InlineData("0", "0")]
    [InlineData("Missing", null)]
    [InlineData("2026", null)]
    public void A_migration_is_named_by_its_id_or_its_name(string name, string? expected) =>
        Assert.Equal(expected, SchemaCheck.Resolve(Known, name));

    [Fact]
    public void A_rollback_undoes_the_newer_migrations_newest_first()
    {
        var plan = SchemaCheck.PlanRollback(Known, Known, Known[2], NotReversible);
        Assert.Null(plan.Refusal);
        Assert.Equal([Known[3]], plan.Revert);
    }

    [Fact]
    public void A_rollback_through_a_migration_marked_not_reversible_is_refused_with_its_reason()
    {
        var plan = SchemaCheck.PlanRollback(Known, Known, Known[1], NotReversible);
        Assert.Empty(plan.Revert);
        Assert.Equal("20260103000000_Encrypt is not reversible (cannot decrypt in SQL); restore the backup taken before the upgrade instead (infra/restore.sh --to <time>)", plan.Refusal);
    }

    [Fact]
    public void A_rollback_of_a_database_a_newer_version_migrated_is_refused()
    {
        var plan = SchemaCheck.PlanRollback(Known, [.. Known, "20260105000000_Newer"], Known[2], NotReversible);
        Assert.Empty(plan.Revert);
        Assert.StartsWith("the database has 1 migration(s) this version does not know", plan.Refusal, StringComparison.Ordinal);
    }
}
