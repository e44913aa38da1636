namespace Dispatch.Core.Deployment;

/// <summary>
/// Decides whether a database's schema matches this version and what a rollback would undo. Migration ids sort by time
/// (EF's yyyyMMddHHmmss_Name), so order is by id.
/// </summary>
public static class SchemaCheck
{
    /// <summary>The id that means "before the first migration" (an empty schema), as EF spells it.</summary>
    public const string Empty = "0";

    public static SchemaState Compare(IReadOnlyCollection<string> known, IReadOnlyCollection<string> applied)
    {
        var appliedSet = applied.ToHashSet(StringComparer.Ordinal);
        var knownSet = known.ToHashSet(StringComparer.Ordinal);
        return new SchemaState(
            [.. known.Where(k => !appliedSet.Contains(k)).Order(StringComparer.Ordinal)],
            [.. applied.Where(a => !knownSet.Contains(a)).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Finds the known migration an operator named: its full id, or its name without the time prefix (case-insensitive),
    /// or <see cref="Empty"/>. Null when none or more than one match.
    /// </summary>
    public static string? Resolve(IReadOnlyCollection<string> known, string name)
    {
        if (name == Empty) return Empty;
        var exact = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var byName = known.Where(k => k.Length > 15 && string.Equals(k[15..], name, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    /// <summary>
    /// The applied migrations newer than <paramref name="target"/>, newest first; refused when the database has migrations
    /// this version does not know (only the version that wrote them can undo them) or when one to undo is marked not
    /// reversible (its reason is in <paramref name="notReversible"/>).
    /// </summary>
    public static SchemaRollback PlanRollback(IReadOnlyCollection<string> known, IReadOnlyCollection<string> applied, string target,
        IReadOnlyDictionary<string, string> notReversible)
    {
        var state = Compare(known, applied);
        if (state.Unknown.Count > 0) return SchemaRollback.Refused(state.Describe() + "; roll back with that version's infra/migrate.sh");
        var revert = applied.Where(a => string.CompareOrdinal(a, target) > 0).OrderDescending(StringComparer.Ordinal).ToList();
        foreach (var id in revert)
        {
            if (notReversible.TryGetValue(id, out var reason))
            {
                return SchemaRollback.Refused($"{id} is not reversible ({reason}); restore the backup taken before the upgrade instead (infra/restore.sh --to <time>)");
            }
        }
        return new SchemaRollback(revert, null);
    }
}
