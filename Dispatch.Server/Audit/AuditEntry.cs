using System.Text.Json;

namespace Dispatch.Server.Audit;

/// <summary>An audit row as the admin reads it; before and after are the stored JSON, null where nothing changed.</summary>
internal sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Role, string Action, string Target, string? Address, JsonElement? Before, JsonElement? After);
