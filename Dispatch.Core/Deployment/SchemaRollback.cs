namespace Dispatch.Core.Deployment;

/// <summary>
/// The migrations to undo, newest first, to bring a database back to a target; or why it must not be done that way
/// (<see cref="Refusal"/> set, nothing to undo).
/// </summary>
public sealed record SchemaRollback(IReadOnlyList<string> Revert, string? Refusal)
{
    public static SchemaRollback Refused(string why) => new([], why);
}
