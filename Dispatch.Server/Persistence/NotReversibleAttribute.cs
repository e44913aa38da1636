namespace Dispatch.Server.Persistence;

/// <summary>
/// Marks a migration whose Down would lose data the earlier version needs; infra/migrate.sh --to refuses to undo it and says
/// why. Every migration without it is checked to go down and up again (MigrationRoundTripTests).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class NotReversibleAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
