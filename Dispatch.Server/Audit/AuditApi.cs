using System.Text.Json;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Audit;

/// <summary>
/// GET /api/admin/audit: admins search the audit log by actor, target, action (exact, or a prefix ending in '*') and time
/// range, newest first, keyset-paginated on the row id. Read-only: no route edits or deletes a row.
/// </summary>
internal static class AuditApi
{
    public const int MaxPage = 500;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/audit", async (string? actor, string? target, string? action, DateTimeOffset? from, DateTimeOffset? to, long? before, int? limit,
            IDbContextFactory<DispatchDbContext> dbs, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxPage) return Failure.BadRequest("limit", $"limit must be 1..{MaxPage}.").ToProblem();
            if (from is { } f && to is { } t && t < f) return Failure.BadRequest("to", "to must not be before from.").ToProblem();
            var take = limit ?? 100;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var query = db.AuditLog.AsNoTracking();
            if (!string.IsNullOrEmpty(actor)) query = query.Where(a => a.Actor == actor);
            if (!string.IsNullOrEmpty(target)) query = query.Where(a => a.Target == target);
            if (action is { Length: > 1 } && action.EndsWith('*'))
            {
                var prefix = action[..^1];
                query = query.Where(a => a.Action.StartsWith(prefix));
            }
            else if (!string.IsNullOrEmpty(action)) query = query.Where(a => a.Action == action);
            if (from is { } since) query = query.Where(a => a.At >= since);
            if (to is { } until) query = query.Where(a => a.At < until);
            if (before is { } cursor) query = query.Where(a => a.Id < cursor);
            var rows = await query.OrderByDescending(a => a.Id).Take(take + 1).ToListAsync(ct);
            var page = rows.Take(take).Select(r => new AuditEntry(r.Id, r.At, r.Actor, r.Role, r.Action, r.Target, r.Address, Parse(r.Before), Parse(r.After))).ToArray();
            return Results.Ok(new AuditPage(page, rows.Count > take ? page[^1].Id : null));
        }).RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin));
        return app;
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
