namespace Dispatch.Server.Audit;

/// <summary>One page of the audit log, newest first; pass <paramref name="Next"/> as <c>before</c> for the next (null: no more).</summary>
internal sealed record AuditPage(AuditEntry[] Entries, long? Next);
