using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Core.Validation;
using Dispatch.Server.Accounts;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Couriers;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Fleet;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Onboarding;

/// <summary>
/// Courier onboarding: registration (a courier row in review and the account that signs in as it, one transaction), the
/// admin's review (approve with what was verified, reject, suspend, reinstate), each with its audit row. Suspending a
/// courier also takes them offline everywhere and sends their orders not yet picked up back to dispatch.
/// </summary>
internal sealed partial class CourierOnboardingCoordinator(
    AccountsDbContext accountsDb,
    UserManager<AccountUser> users,
    AccountsCoordinator accounts,
    IDbContextFactory<DispatchDbContext> dbs,
    CourierConnections connections,
    FleetReader locator,
    FleetWriter writer,
    OfferAnswers answers,
    OfferRounds rounds,
    AbandonedOrders abandoned,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<CourierOnboardingCoordinator> logger)
{
    public const int MaxDocuments = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<CourierReviewView>> RegisterAsync(CourierRegistration? form, string? address, CancellationToken ct)
    {
        if (Check(form) is { } bad) return bad;
        var username = form!.Username!.Trim();
        if (await users.FindByNameAsync(username) is not null) return Failure.Conflict($"The username '{username}' is taken; choose another.");
        PhoneNumbers.TryNormalize(form.Phone, options.Value.DefaultCountryCallingCode, out var phone, out _);
        var documents = JsonSerializer.Serialize(form.Documents ?? [], Json);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var name = form.Name!.Trim();

        // Both rows in one transaction on the accounts context's connection: no courier without its account, or the reverse.
        await using var tx = await accountsDb.Database.BeginTransactionAsync(ct);
        var handleTaken = await accountsDb.Database.SqlQuery<bool>($"select exists (select 1 from couriers where handle = {username}) as \"Value\"").SingleAsync(ct);
        if (handleTaken) return Failure.Conflict($"The username '{username}' is taken; choose another.");
        await accountsDb.Database.ExecuteSqlInterpolatedAsync($"""
            insert into couriers (id, handle, name, phone, vehicle, equipment, capacity, claimed_equipment, review, documents, created_at)
            values ({id}, {username}, {name}, {phone}, {(int)form.Vehicle!.Value}, {(int)Equipment.None}, 0, {(int)form.Equipment!.Value},
                    {(int)CourierReview.Pending}, {documents}::jsonb, {now})
            """, ct);
        var account = await accounts.CreateOrResetAsync(new AccountSpec(username, Roles.Courier, form.Password, DisplayName: name, CourierId: id), null, ct);
        if (!account.Ok)
        {
            await tx.RollbackAsync(ct);
            return account.Failure!;
        }
        await AuditTrail.WriteAsync(accountsDb.Database, new AuditActor(username, Roles.Courier, address), "courier.register", Target(id), now,
            null, new { name, vehicle = form.Vehicle, claimedEquipment = form.Equipment, documents = form.Documents ?? [] }, ct);
        await tx.CommitAsync(ct);
        LogRegistered(logger, id, username);
        return await ViewAsync(id, ct) is { } view ? view : Failure.NotFound($"Courier {id} vanished.");
    }

    /// <summary>Couriers by review state (all when null), oldest registration first: the pending ones are the review queue.</summary>
    public async Task<List<CourierReviewView>> ListAsync(CourierReview? review, int limit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.Couriers.AsNoTracking().Where(c => review == null || c.Review == review)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(limit).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    public async Task<CourierReviewView?> ViewAsync(Guid courierId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var row = await db.Couriers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courierId, ct);
        return row is null ? null : View(row);
    }

    /// <summary>The courier's phone number in full, for an admin who has to call them; every reading leaves an audit row.</summary>
    public async Task<Outcome<string>> ReadPhoneAsync(Guid courierId, AuditActor actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var phone = await db.Couriers.Where(c => c.Id == courierId).Select(c => c.Phone).FirstOrDefaultAsync(ct);
        if (phone is null) return Failure.NotFound($"No courier has id {courierId}.");
        await AuditTrail.WriteAsync(db.Database, actor, "courier.phone.read", Target(courierId), clock.GetUtcNow(), null, null, ct);
        await tx.CommitAsync(ct);
        return phone;
    }

    public Task<Outcome<CourierReviewView>> ApproveAsync(Guid courierId, CourierReviewRequest? request, AuditActor actor, CancellationToken ct)
    {
        if (request?.VerifiedEquipment is not { } equipment || !Enum.IsDefined(equipment))
            return Task.FromResult<Outcome<CourierReviewView>>(Failure.BadRequest("verifiedEquipment", "Say which equipment you verified: none, insulatedBox or activeCooler."));
        if (request.Capacity is not (>= 1 and <= PresenceCoordinator.MaxCapacity) and var capacity)
            return Task.FromResult<Outcome<CourierReviewView>>(Failure.BadRequest("capacity", $"capacity (orders at once) must be 1..{PresenceCoordinator.MaxCapacity}, got {capacity?.ToString() ?? "none"}."));
        return ReviewAsync(courierId, "approve", actor, c =>
        {
            c.Review = CourierReview.Approved;
            c.Equipment = equipment;
            c.Capacity = request.Capacity!.Value;
            c.RejectionReason = null;
        }, ct);
    }

    public Task<Outcome<CourierReviewView>> RejectAsync(Guid courierId, CourierReviewRequest? request, AuditActor actor, CancellationToken ct)
    {
        if (ReasonProblem(request?.Reason) is { } bad) return Task.FromResult<Outcome<CourierReviewView>>(bad);
        return ReviewAsync(courierId, "reject", actor, c =>
        {
            c.Review = CourierReview.Rejected;
            c.RejectionReason = request!.Reason!.Trim();
        }, ct);
    }

    /// <summary>
    /// Suspends the courier. The PostgreSQL part commits whatever Redis does: the suspension, then their offers withdrawn
    /// and their orders before pickup back to dispatching, each with its outbox rows. The live part goes through Redis and
    /// is best effort: the eviction (off the map, connections closed on whichever node holds them) and offering the orders
    /// again. With Redis away it is deferred (<see cref="CourierSuspension.EvictionDeferred"/>): each node's resync closes
    /// a suspended courier's connections when Redis returns, and the zone's retry offers the orders.
    /// </summary>
    public async Task<Outcome<CourierSuspension>> SuspendAsync(Guid courierId, CourierReviewRequest? request, AuditActor actor, CancellationToken ct)
    {
        if (ReasonProblem(request?.Reason) is { } bad) return bad;
        var outcome = await ReviewAsync(courierId, "suspend", actor, c => c.SuspendedAt = clock.GetUtcNow(), ct);
        if (!outcome.Ok) return outcome.Failure!;

        // Stored first, so GoOnline refuses them from here on; then out of dispatch in PostgreSQL, which needs no Redis.
        var (_, withdrawnReleased) = await answers.WithdrawStoredAsync(courierId, "courier suspended", "You were suspended, so this offer went to another courier.", ct);
        var released = await abandoned.ReleaseHeldByAsync(courierId, actor.Actor, $"courier {courierId:N} suspended by {actor.Actor}: {request!.Reason!.Trim()}",
            "You were suspended, so this order went to another courier.", ct);
        var deferred = false;
        try
        {
            await connections.EvictAsync(courierId);
            if (await locator.GetAsync(courierId) is { } snapshot) await writer.RemoveAsync(snapshot.Zone, snapshot with { Activity = CourierActivity.Offline }, courierId);
        }
        catch (Exception ex) when (DependencyDown.Of(ex) == DependencyDown.Redis)
        {
            deferred = true;
            LogEvictionDeferred(logger, courierId, ex.Message);
        }
        try
        {
            foreach (var orderId in withdrawnReleased.Concat(released)) await rounds.DispatchAsync(orderId, ct);
        }
        catch (Exception ex) when (DependencyDown.Of(ex) == DependencyDown.Redis)
        {
            // Dispatching, so the zone's retry offers them once Redis answers.
            LogDispatchDeferred(logger, courierId, ex.Message);
        }
        LogSuspended(logger, courierId, actor.Actor, released.Count);
        return new CourierSuspension(outcome.Value!, deferred);
    }

    public Task<Outcome<CourierReviewView>> ReinstateAsync(Guid courierId, AuditActor actor, CancellationToken ct) =>
        ReviewAsync(courierId, "reinstate", actor, c => c.SuspendedAt = null, ct);

    /// <summary>One review action: Core says whether it applies; the change and its audit row (before and after) commit together.</summary>
    private async Task<Outcome<CourierReviewView>> ReviewAsync(Guid courierId, string action, AuditActor actor, Action<CourierRecord> change, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var courier = await db.Couriers.FromSql($"select * from couriers where id = {courierId} for update").SingleOrDefaultAsync(ct);
        if (courier is null) return Failure.NotFound($"No courier has id {courierId}.");
        if (ShiftAllowance.CheckReview(courier.Review, courier.SuspendedAt is not null, action) is { } refused)
        {
            LogRefused(logger, courierId, action, refused);
            return Failure.Conflict(refused);
        }
        var before = Audited(courier);
        var now = clock.GetUtcNow();
        change(courier);
        courier.ReviewedBy = actor.Actor;
        courier.ReviewedAt = now;
        await db.SaveChangesAsync(ct);
        await AuditTrail.WriteAsync(db.Database, actor, "courier." + action, Target(courierId), now, before, Audited(courier), ct);
        await tx.CommitAsync(ct);
        LogReviewed(logger, courierId, action, actor.Actor);
        return View(courier);
    }

    private Failure? Check(CourierRegistration? form)
    {
        if (form is null) return Failure.BadRequest("body", "Send username, password, name, phone, vehicle, equipment and documents.");
        if (string.IsNullOrWhiteSpace(form.Username) || form.Username.Trim().Length > 64 || !form.Username.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '@'))
            return Failure.BadRequest("username", "username must be 1–64 letters, digits, '-', '.', '_' or '@'.");
        if (string.IsNullOrEmpty(form.Password)) return Failure.BadRequest("password", "Choose a password.");
        if (string.IsNullOrWhiteSpace(form.Name)) return Failure.BadRequest("name", "Give your name as customers will see it.");
        if (TextRules.Check("name", form.Name, 100) is { } badName) return Failure.BadRequest("name", badName);
        if (!PhoneNumbers.TryNormalize(form.Phone, options.Value.DefaultCountryCallingCode, out _, out var phoneError))
            return Failure.BadRequest("phone", "phone " + phoneError.Replace("the customer's", "your", StringComparison.Ordinal));
        if (form.Vehicle is not { } vehicle || !Enum.IsDefined(vehicle))
            return Failure.BadRequest("vehicle", $"vehicle must be one of {string.Join(", ", Enum.GetNames<Vehicle>())}.");
        if (form.Equipment is not { } equipment || !Enum.IsDefined(equipment))
            return Failure.BadRequest("equipment", "equipment must be none, insulatedBox or activeCooler (what you will bring; an admin verifies it).");
        var documents = form.Documents ?? [];
        if (documents.Length > MaxDocuments) return Failure.BadRequest("documents", $"At most {MaxDocuments} documents; got {documents.Length}.");
        for (var i = 0; i < documents.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(documents[i]?.Kind) || string.IsNullOrWhiteSpace(documents[i]?.Reference))
                return Failure.BadRequest($"documents[{i}]", "Each document needs a kind (e.g. licence) and a reference (e.g. its number).");
            if ((TextRules.Check($"documents[{i}].kind", documents[i].Kind, 50) ?? TextRules.Check($"documents[{i}].reference", documents[i].Reference, 200)) is { } badDocument)
                return Failure.BadRequest($"documents[{i}]", badDocument);
        }
        if (equipment != Equipment.None && !documents.Any(d => d.Kind!.Contains("cold", StringComparison.OrdinalIgnoreCase)))
            return Failure.BadRequest("documents", "Claiming cold-chain equipment needs a document of kind 'cold-box-certificate' for the admin to check.");
        return null;
    }

    private static Failure? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? Failure.BadRequest("reason", "Give a reason (the courier is told it).")
        : TextRules.Check("reason", reason, 300) is { } bad ? Failure.BadRequest("reason", bad)
        : null;

    private static string Target(Guid courierId) => $"courier:{courierId}";

    private static object Audited(CourierRecord c) =>
        new { review = c.Review, verifiedEquipment = c.Equipment, capacity = c.Capacity, suspended = c.SuspendedAt is not null, rejectionReason = c.RejectionReason };

    private static CourierReviewView View(CourierRecord c) => new(c.Id, c.Handle, c.Name, PhoneMask.Mask(c.Phone), c.Vehicle, c.ClaimedEquipment, c.Equipment, c.Capacity,
        c.Review, c.SuspendedAt is not null, c.RejectionReason, JsonSerializer.Deserialize<CourierDocument[]>(c.Documents, Json) ?? [], c.CreatedAt, c.ReviewedBy, c.ReviewedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} registered as {Username}; waiting for review")]
    private static partial void LogRegistered(ILogger logger, Guid courierId, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId}: {Action} by {Actor}")]
    private static partial void LogReviewed(ILogger logger, Guid courierId, string action, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId}: {Action} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid courierId, string action, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} suspended by {Actor}: offers withdrawn, {Released} order(s) back to dispatch")]
    private static partial void LogSuspended(ILogger logger, Guid courierId, string actor, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId} suspended while Redis is unreachable ({Reason}): their connections close when it returns")]
    private static partial void LogEvictionDeferred(ILogger logger, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId} suspended: their released orders wait for the zone's retry, Redis is unreachable ({Reason})")]
    private static partial void LogDispatchDeferred(ILogger logger, Guid courierId, string reason);
}
