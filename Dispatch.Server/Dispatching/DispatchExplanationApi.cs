using Dispatch.Core.Matching;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// GET /api/orders/{id}/dispatch — for the board: every offer round of an order, and each change of why it waits (a round
/// that offered nobody: its rule says why, its candidates are all runners-up), with the couriers offered (every cost
/// term), the next few candidates (cost, and the term that lost them the order), who was ruled out and why, how many
/// more of each, the rule that chose, and what each offered courier answered.
/// </summary>
internal static class DispatchExplanationApi
{
    /// <summary>
    /// A candidate of a round. Offered couriers have every term; runners-up have their cost, distance and time to the pickup,
    /// the other terms null, and <see cref="LostOn"/> (a <see cref="RunnerUp.Terms"/> name) with <see cref="LostBySeconds"/>.
    /// </summary>
    public sealed record CandidateView(Guid CourierId, string? Name, int Rank, double DistanceMetres, double SecondsToPickup, double? LoadPenaltySeconds,
        double Cost, bool Chosen, string? Answer, string? Reason, double? DeclinePenaltySeconds = null, double? ReadyWaitSeconds = null, double? LatenessSeconds = null,
        double? FairnessSeconds = null, DateTimeOffset? PickupAt = null, DateTimeOffset? DropoffAt = null, DateTimeOffset? FreeAt = null,
        string? LostOn = null, double? LostBySeconds = null);

    public sealed record ExclusionView(Guid CourierId, string? Name, string Reason);

    /// <summary>One round; <see cref="MoreEligible"/> and <see cref="MoreExcluded"/>: candidates and exclusions not kept.</summary>
    public sealed record RoundView(DateTimeOffset At, string Rule, double RadiusMetres, CandidateView[] Candidates, ExclusionView[] Excluded,
        int MoreEligible = 0, int MoreExcluded = 0);

    public static IEndpointRouteBuilder MapDispatchExplanationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders/{id:guid}/dispatch", async (Guid id, IDbContextFactory<DispatchDbContext> dbs, DecisionLog decisionLog,
            Microsoft.Extensions.Options.IOptions<DispatchOptions> options, CancellationToken ct) =>
        {
            // A waiting decision the last round queued on this node (offers' explanations commit with their offers).
            await decisionLog.StoredAsync(id, TimeSpan.FromSeconds(5), ct);
            await using var db = await dbs.CreateDbContextAsync(ct);
            if (!await db.Orders.AnyAsync(o => o.Id == id, ct)) return Failure.NotFound($"Order {id} does not exist.").ToProblem();
            var decisions = await db.DispatchDecisions.AsNoTracking().Where(d => d.OrderId == id).OrderBy(d => d.At).ToListAsync(ct);
            var offers = await db.Offers.AsNoTracking().Where(f => f.OrderId == id).ToListAsync(ct);
            var costTerms = DispatchExplanation.CostTerms(options.Value.Policy);
            var explained = decisions.Select(d => (d.At, Explanation: StoredExplanation.Read(d.Explanation, costTerms))).ToList();
            var ids = explained.SelectMany(e => e.Explanation.Offered.Select(c => c.CourierId).Concat(e.Explanation.RunnersUp.Select(c => c.CourierId))
                .Concat(e.Explanation.Excluded.Select(x => x.CourierId))).Distinct().ToList();
            var names = await db.Couriers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);

            var rounds = explained.Select(e =>
            {
                var x = e.Explanation;
                var offered = x.Offered.Select((c, rank) =>
                {
                    var offer = offers.FirstOrDefault(f => f.CourierId == c.CourierId && f.CreatedAt == e.At);
                    return new CandidateView(c.CourierId, names.GetValueOrDefault(c.CourierId), rank, c.DistanceMetres, c.SecondsToPickup, c.LoadPenaltySeconds,
                        Math.Round(c.Cost), true, offer?.Status.ToString(), offer?.Reason, c.DeclinePenaltySeconds, c.ReadyWaitSeconds, c.LatenessSeconds,
                        c.FairnessSeconds, c.PickupAt, c.DropoffAt, c.FreeAt);
                });
                var runnersUp = x.RunnersUp.Select((c, rank) => new CandidateView(c.CourierId, names.GetValueOrDefault(c.CourierId), x.Offered.Length + rank,
                    c.DistanceMetres, c.SecondsToPickup, null, c.Cost, false, null, null, FreeAt: c.FreeAt, LostOn: c.LostOn,
                    LostBySeconds: c.LostOn is null ? null : c.LostBySeconds));
                var excluded = x.Excluded.Select(c => new ExclusionView(c.CourierId, names.GetValueOrDefault(c.CourierId), c.Reason)).ToArray();
                return new RoundView(e.At, x.Rule, x.RadiusMetres, [.. offered, .. runnersUp], excluded, x.MoreEligible, x.MoreExcluded);
            }).ToArray();
            return Results.Ok(rounds);
        }).RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin)).AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Order));
        return app;
    }
}
