namespace Dispatch.Core.Deployment;

/// <summary>
/// How a database's applied migrations compare with those this version knows: <see cref="Pending"/> are known but not applied
/// (the database is older), <see cref="Unknown"/> are applied but not known (a newer version migrated it).
/// </summary>
public sealed record SchemaState(IReadOnlyList<string> Pending, IReadOnlyList<string> Unknown)
{
    public bool UpToDate => Pending.Count == 0 && Unknown.Count == 0;

    /// <summary>What is wrong, in one sentence an operator can act on; empty when up to date.</summary>
    public string Describe() => (Pending.Count, Unknown.Count) switch
    {
        (0, 0) => "",
        (_, 0) => $"the database lacks {Pending.Count} migration(s) of this version ({string.Join(", ", Pending)})",
        (0, _) => $"the database has {Unknown.Count} migration(s) this version does not know ({string.Join(", ", Unknown)}); a newer version migrated it",
        _ => $"the database has migration(s) this version does not know ({string.Join(", ", Unknown)}) and lacks some it knows ({string.Join(", ", Pending)})",
    };
}
