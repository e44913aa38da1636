namespace Dispatch.Core.Alerts;

/// <summary>
/// A condition the dispatcher should look at. <paramref name="Key"/> names the condition (kind and subject) and stays the
/// same while it lasts; <paramref name="RaisedAt"/> is when it became true, so an acknowledgement made at or after it hides
/// it, and a new episode (a later <paramref name="RaisedAt"/>) shows it again.
/// </summary>
public sealed record Alert(
    string Key,
    AlertKind Kind,
    AlertSeverity Severity,
    DateTimeOffset RaisedAt,
    string Title,
    string Detail,
    Guid? OrderId,
    Guid? CourierId);
