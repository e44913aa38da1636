namespace Dispatch.Server.Persistence;

/// <summary>
/// One row of the audit log (table audit_log): who did what to which target, when, from where, and what changed.
/// Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and no API writes anything but inserts.
/// </summary>
internal sealed class AuditRecord
{
    /// <summary>Increasing with insertion: the keyset cursor of the audit API.</summary>
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The token's subject (an admin's or dispatcher's username, a merchant organisation) or the command-line verb.</summary>
    public string Actor { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>What was done, e.g. "courier.approve", "order.assign", "phone.read".</summary>
    public string Action { get; set; } = "";

    /// <summary>What it was done to, e.g. "courier:{id}", "order:{id}", "account:{username}", "zone:{name}", "alert:{zone}:{key}".</summary>
    public string Target { get; set; } = "";

    /// <summary>The remote address of the request or hub connection; null for the command-line verbs.</summary>
    public string? Address { get; set; }

    /// <summary>JSON of what changed, before and after; null where nothing was changed (a reading).</summary>
    public string? Before { get; set; }

    public string? After { get; set; }
}
