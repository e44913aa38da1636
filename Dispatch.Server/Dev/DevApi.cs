using Dispatch.Core.Couriers;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dev;

/// <summary>
/// Development-only helpers: mint a token for any role, and create (or fetch) a numbered fleet of couriers with tokens.
/// Mapped only when the environment is Development; in Production these routes do not exist.
/// </summary>
internal static class DevApi
{
    public const int MaxFleet = 20_000;

    private static readonly string[] FirstNames =
        ["Amélie", "Luca", "Sofia", "Hugo", "Chloé", "Marco", "Léa", "Nico", "Inès", "Paolo", "Emma", "Jules", "Giulia", "Noah", "Zoé", "Enzo"];

    public sealed record TokenRequest(string? Role, string? Subject);

    public sealed record TokenResponse(string Token);

    public sealed record FleetRequest(int? Count, string? Prefix);

    /// <summary>A fleet courier with a token, and where the server last saw them (null: never), so a restarted simulation resumes them there.</summary>
    public sealed record FleetMember(Guid CourierId, string Name, string Token, double? LastLat = null, double? LastLon = null);

    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/dev").AllowAnonymous();
        dev.MapPost("/token", (TokenRequest request, TokenIssuer tokens) =>
        {
            if (request.Role is null || !Roles.All.Contains(request.Role))
                return Failure.BadRequest("role", $"role must be one of {string.Join(", ", Roles.All)}.").ToProblem();
            // The subject becomes merchant ids and event actors in stored rows.
            if (Core.Validation.TextRules.Check("subject", request.Subject, 64) is { } badSubject) return Failure.BadRequest("subject", badSubject).ToProblem();
            var subject = string.IsNullOrWhiteSpace(request.Subject) ? $"{request.Role}-dev" : request.Subject.Trim();
            return Results.Ok(new TokenResponse(tokens.Issue(subject, request.Role)));
        });
        dev.MapPost("/fleet", async (FleetRequest request, IDbContextFactory<DispatchDbContext> dbs, TokenIssuer tokens, FleetReader locator, TimeProvider clock, CancellationToken ct) =>
        {
            var count = request.Count ?? 50;
            if (count is < 1 or > MaxFleet) return Failure.BadRequest("count", $"count must be 1..{MaxFleet}.").ToProblem();
            var prefix = string.IsNullOrWhiteSpace(request.Prefix) ? "sim" : request.Prefix.Trim();
            if (prefix.Length > 20 || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                return Failure.BadRequest("prefix", "prefix must be 1..20 letters, digits or '-'.").ToProblem();
            var fleet = await EnsureFleetAsync(dbs, prefix, count, clock.GetUtcNow(), ct);
            // A courier who starts somewhere else than their last fix would be refused as moving impossibly fast.
            var last = await locator.GetManyAsync([.. fleet.Select(c => c.Id)]);
            return Results.Ok(fleet.Select((c, i) => new FleetMember(c.Id, c.Name, tokens.Issue(c.Id.ToString(), Roles.Courier, c.Name), last[i]?.Lat, last[i]?.Lon)));
        });
        return app;
    }

    /// <summary>
    /// Couriers {prefix}-0001..{prefix}-{count}, created when missing, approved and verified for every equipment and the
    /// largest capacity, so what the simulator (or a test) claims on GoOnline is what dispatch uses. Idempotent.
    /// </summary>
    public static async Task<List<CourierRecord>> EnsureFleetAsync(IDbContextFactory<DispatchDbContext> dbs, string prefix, int count, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var handles = Enumerable.Range(1, count).Select(i => $"{prefix}-{i:0000}").ToList();
        // Fleet rows from before onboarding existed (the demo's database) are approved and verified the same way.
        await db.Couriers.Where(c => c.Handle.StartsWith(prefix + "-") && (c.Review != CourierReview.Approved || c.Equipment != Equipment.ActiveCooler))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Review, CourierReview.Approved).SetProperty(c => c.Equipment, Equipment.ActiveCooler)
                .SetProperty(c => c.Capacity, Couriers.PresenceCoordinator.MaxCapacity), ct);
        var existing = await db.Couriers.Where(c => c.Handle.StartsWith(prefix + "-")).ToDictionaryAsync(c => c.Handle, ct);
        foreach (var (handle, i) in handles.Select((h, i) => (h, i)))
        {
            if (existing.ContainsKey(handle)) continue;
            var courier = new CourierRecord
            {
                Id = Guid.CreateVersion7(),
                Handle = handle,
                Name = $"{FirstNames[i % FirstNames.Length]} {(char)('A' + i / FirstNames.Length % 26)}.",
                Phone = $"+377 6 {40 + i % 60:00} {i / 60 % 100:00} {i % 97:00} {i % 89:00}",
                Vehicle = (Vehicle)(1 + i % 4),
                ClaimedEquipment = i % 3 == 0 ? Equipment.InsulatedBox : Equipment.None,
                Equipment = Equipment.ActiveCooler,
                Capacity = Couriers.PresenceCoordinator.MaxCapacity,
                Review = CourierReview.Approved,
                ReviewedBy = "dev-fleet",
                ReviewedAt = now,
                CreatedAt = now,
            };
            db.Couriers.Add(courier);
            existing[handle] = courier;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent call created some of them; read them all back.
            await using var again = await dbs.CreateDbContextAsync(ct);
            existing = await again.Couriers.AsNoTracking().Where(c => c.Handle.StartsWith(prefix + "-")).ToDictionaryAsync(c => c.Handle, ct);
        }
        return [.. handles.Select(h => existing[h])];
    }
}
