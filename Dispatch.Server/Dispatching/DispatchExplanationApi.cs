using System.Text.Json;
using Dispatch.Core.Matching;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// GET /api/orders/{id}/dispatch — for the board: every offer round of an order with the couriers considered,
/// their cost terms, who was ruled out and why, the rule that chose, and what each offered courier answered.
/// </summary>
public static class DispatchExplanationApi
{
    public sealed record CandidateView(Guid CourierId, string? Name, int Rank, double DistanceMetres, double SecondsToPickup, double LoadPenaltySeconds,
        double Cost, bool Chosen, string? Answer, string? Reason, double DeclinePenaltySeconds = 0, double ReadyWaitSeconds = 0, double LatenessSeconds = 0,
        double FairnessSeconds = 0, DateTimeOffset? PickupAt = null, DateTimeOffset? DropoffAt = null, DateTimeOffset? FreeAt = null);

    public sealed record ExclusionView(Guid CourierId, string? Name, string Reason);

    public sealed record RoundView(DateTimeOffset At, string Rule, double RadiusMetres, CandidateView[] Candidates, ExclusionView[] Excluded);

    public static IEndpointRouteBuilder MapDispatchExplanationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/{id:guid}/dispatch", async (Guid id, IDbContextFactory<DispatchDbContext> dbs, DecisionLog decisionLog, CancellationToken ct) =>
        {
            // A batch round's explanations are stored just behind its offers: wait for this order's, if still queued here.
            await decisionLog.StoredAsync(id, TimeSpan.FromSeconds(5), ct);
            await using var db = await dbs.CreateDbContextAsync(ct);
            if (!await db.Orders.AnyAsync(o => o.Id == id, ct)) return Failure.NotFound($"Order {id} does not exist.").ToProblem();
            var decisions = await db.DispatchDecisions.AsNoTracking().Where(d => d.OrderId == id).OrderBy(d => d.At).ToListAsync(ct);
            var offers = await db.Offers.AsNoTracking().Where(f => f.OrderId == id).ToListAsync(ct);
            var explained = decisions.Select(d => (d.At, Explanation: ExplanationJson.Read(d.Explanation))).ToList();
            var ids = explained.SelectMany(e => e.Explanation.Eligible.Select(c => c.CourierId).Concat(e.Explanation.Excluded.Select(x => x.CourierId))).Distinct().ToList();
            var names = await db.Couriers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);

            var rounds = explained.Select(e =>
            {
                var x = e.Explanation;
                var candidates = x.Eligible.Select((c, rank) =>
                {
                    var offer = offers.FirstOrDefault(f => f.CourierId == c.CourierId && f.CreatedAt == e.At);
                    return new CandidateView(c.CourierId, names.GetValueOrDefault(c.CourierId), rank, Math.Round(c.DistanceMetres), Math.Round(c.SecondsToPickup),
                        c.LoadPenaltySeconds, Math.Round(c.Cost, 1), x.Chosen.Contains(c.CourierId), offer?.Status.ToString(), offer?.Reason, c.DeclinePenaltySeconds,
                        c.ReadyWaitSeconds, c.LatenessSeconds, c.FairnessSeconds, c.PickupAt, c.DropoffAt, c.FreeAt);
                }).ToArray();
                var excluded = x.Excluded.Select(c => new ExclusionView(c.CourierId, names.GetValueOrDefault(c.CourierId), c.Reason)).ToArray();
                return new RoundView(e.At, x.Rule, x.RadiusMetres, candidates, excluded);
            }).ToArray();
            return Results.Ok(rounds);
        }).RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin));
        return app;
    }
}
