using System.Security.Cryptography;
using Dispatch.Core.Validation;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Accounts;

/// <summary>Creating, resetting, suspending and reinstating accounts: the admin API and the command-line verbs both come here.</summary>
internal sealed partial class AccountsCoordinator(
    UserManager<AccountUser> users,
    AccountsDbContext db,
    SessionCoordinator sessions,
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    IOptions<DispatchOptions> dispatchOptions,
    TimeProvider clock,
    ILogger<AccountsCoordinator> logger)
{
    /// <summary>
    /// Creates the account, or resets an existing one of that username: new password, the given role and scope, lockout and
    /// suspension cleared, every session revoked. A password is generated (and returned once) when none is given.
    /// Audited as account.create or account.reset by <paramref name="audit"/>; null when the caller audits the larger
    /// action it is part of (a courier's registration) in its own transaction.
    /// </summary>
    public async Task<Outcome<AccountCreated>> CreateOrResetAsync(AccountSpec spec, AuditActor? audit, CancellationToken ct)
    {
        if (await CheckAsync(spec, ct) is { } bad) return bad;
        // Joins the caller's transaction when there is one (registration); else its own, shared with the audit row.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var generated = spec.Password is null ? GeneratePassword() : null;
        var password = spec.Password ?? generated!;
        var user = await users.FindByNameAsync(spec.Username!);
        var created = user is null;
        user ??= new AccountUser { Id = Guid.CreateVersion7(), UserName = spec.Username, CreatedAt = clock.GetUtcNow() };
        user.Role = spec.Role!;
        // A courier is called what their couriers row says (the runner page shows the token's name) unless told otherwise.
        user.DisplayName = !string.IsNullOrWhiteSpace(spec.DisplayName) ? spec.DisplayName.Trim()
            : spec.Role == Roles.Courier ? await CourierNameAsync(spec.CourierId!.Value, ct) : null;
        user.Organisation = spec.Role == Roles.Merchant ? spec.Organisation!.Trim() : null;
        user.CourierId = spec.Role == Roles.Courier ? spec.CourierId : null;
        user.Zones = spec.Role == Roles.Dispatcher ? [.. (spec.Zones ?? []).Distinct(StringComparer.Ordinal)] : [];
        user.SuspendedAt = null;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded) return Failure.BadRequest("password", string.Join(" ", check.Errors.Select(e => e.Description)));
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var result = created ? await users.CreateAsync(user) : await users.UpdateAsync(user);
        if (!result.Succeeded) return Failure.BadRequest(created ? "username" : "account", string.Join(" ", result.Errors.Select(e => e.Description)));
        if (!created) await sessions.RevokeAllAsync(user.Id, "reset", ct);
        if (audit is not null)
        {
            await AuditTrail.WriteAsync(db.Database, audit, created ? "account.create" : "account.reset", $"account:{user.UserName}", clock.GetUtcNow(),
                null, new { role = user.Role, organisation = user.Organisation, courierId = user.CourierId, zones = user.Zones }, ct);
        }
        if (tx is not null) await tx.CommitAsync(ct);
        // A reset lifts a suspension: the new tokens work on this node at once.
        if (!created) services.GetService<Auth.SuspendedAccountIds>()?.Reinstated(user.Id);
        LogSaved(logger, user.UserName!, user.Role, created);
        return new AccountCreated(user.Id, user.UserName!, user.Role, user.Subject, created, generated);
    }

    /// <summary>
    /// Suspends the account and revokes all its sessions at once; its tokens open no new hub connection, and a courier
    /// account's open connections are closed and the courier taken offline (other access tokens end within minutes). That
    /// eviction goes through Redis after the commit, best effort: with Redis away each node's resync closes them on its return.
    /// </summary>
    public async Task<Outcome<AccountSuspension>> SuspendAsync(string username, AuditActor actor, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return Failure.NotFound($"No account is named '{username}'.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var wasSuspended = user.SuspendedAt is not null;
        user.SuspendedAt ??= clock.GetUtcNow();
        await users.UpdateAsync(user);
        var revoked = await sessions.RevokeAllAsync(user.Id, "suspended", ct);
        await AuditTrail.WriteAsync(db.Database, actor, "account.suspend", $"account:{username}", clock.GetUtcNow(),
            new { suspended = wasSuspended }, new { suspended = true, revokedSessions = revoked }, ct);
        await tx.CommitAsync(ct);
        // This node's APIs refuse the account's access tokens at once (the others within Accounts:SuspensionRefreshSeconds).
        services.GetService<Auth.SuspendedAccountIds>()?.Suspended(user.Id);
        // Resolved only here: the command-line verbs use this coordinator without Redis or the hubs.
        var deferred = false;
        try
        {
            if (user.CourierId is { } courierId) await services.GetRequiredService<Couriers.CourierConnections>().EvictAsync(courierId);
        }
        catch (Exception ex) when (DependencyDown.Of(ex) == DependencyDown.Redis)
        {
            deferred = true;
            LogEvictionDeferred(logger, username, ex.Message);
        }
        LogSuspended(logger, username, actor.Actor, revoked);
        return new AccountSuspension(revoked, deferred);
    }

    public async Task<Outcome<bool>> ReinstateAsync(string username, AuditActor actor, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null) return Failure.NotFound($"No account is named '{username}'.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var wasSuspended = user.SuspendedAt is not null;
        user.SuspendedAt = null;
        await users.UpdateAsync(user);
        await AuditTrail.WriteAsync(db.Database, actor, "account.reinstate", $"account:{username}", clock.GetUtcNow(),
            new { suspended = wasSuspended }, new { suspended = false }, ct);
        await tx.CommitAsync(ct);
        services.GetService<Auth.SuspendedAccountIds>()?.Reinstated(user.Id);
        LogReinstated(logger, username, actor.Actor);
        return true;
    }

    /// <summary>
    /// Gives a dispatcher account exactly these zones, audited as account.zones with the zones before and after. The
    /// password and sessions stay: the account's next token refresh reads the new zones into its access token.
    /// </summary>
    public async Task<Outcome<AccountView>> SetZonesAsync(Guid id, string[]? zones, AuditActor actor, CancellationToken ct)
    {
        if (zones is null) return Refused(id, actor, Failure.BadRequest("zones", "zones is required: the zone names the dispatcher may see and act on (e.g. [\"monaco\"])."));
        if (await CheckZonesAsync(zones, ct) is { } bad) return Refused(id, actor, bad);
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return Refused(id, actor, Failure.NotFound($"No account has id {id}."));
        if (user.Role != Roles.Dispatcher)
            return Refused(id, actor, Failure.Conflict($"Account '{user.UserName}' is a {user.Role} account; only a dispatcher account has zones."));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var before = user.Zones;
        user.Zones = [.. zones.Distinct(StringComparer.Ordinal)];
        // Identity's concurrency stamp: of two admins saving at once, the second is told to reload instead of overwriting.
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) return Failure.Conflict(string.Join(" ", result.Errors.Select(e => e.Description)));
        await AuditTrail.WriteAsync(db.Database, actor, "account.zones", $"account:{user.UserName}", clock.GetUtcNow(),
            new { zones = before }, new { zones = user.Zones }, ct);
        await tx.CommitAsync(ct);
        LogZonesSet(logger, user.UserName!, string.Join(",", user.Zones), actor.Actor);
        return new AccountView(user.Id, user.UserName!, user.Role, user.DisplayName, user.Organisation, user.CourierId, user.Zones, user.SuspendedAt, user.CreatedAt);
    }

    private Failure Refused(Guid id, AuditActor actor, Failure failure)
    {
        LogZonesRefused(logger, id, actor.Actor, failure.Detail);
        return failure;
    }

    public static string GeneratePassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    private async Task<Failure?> CheckAsync(AccountSpec spec, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(spec.Username) || spec.Username.Length > 64 || !spec.Username.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '@'))
            return Failure.BadRequest("username", "username must be 1–64 letters, digits, '-', '.', '_' or '@'.");
        if (!AccountsComposition.IsRole(spec.Role)) return Failure.BadRequest("role", $"role must be one of {string.Join(", ", Roles.All)}.");
        if (TextRules.Check("displayName", spec.DisplayName, 100) is { } badName) return Failure.BadRequest("displayName", badName);
        switch (spec.Role)
        {
            case Roles.Merchant:
                if (string.IsNullOrWhiteSpace(spec.Organisation) || spec.Organisation.Trim().Length > 64 || !spec.Organisation.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                    return Failure.BadRequest("organisation", "A merchant account needs its organisation: 1–64 letters, digits, '-', '_' or '.' (e.g. shop-1).");
                break;
            case Roles.Courier:
                if (spec.CourierId is not { } courierId) return Failure.BadRequest("courierId", "A courier account needs the id of its couriers row.");
                if (await CourierNameAsync(courierId, ct) is null)
                    return Failure.BadRequest("courierId", $"No courier has id {courierId}.");
                if (await db.Users.AnyAsync(u => u.CourierId == courierId && u.UserName != spec.Username, ct))
                    return Failure.Conflict($"Courier {courierId} already has an account.");
                break;
            case Roles.Dispatcher:
                if (await CheckZonesAsync(spec.Zones ?? [], ct) is { } badZone) return badZone;
                break;
        }
        return null;
    }

    /// <summary>A zone configured or added by an admin, each; null when all are.</summary>
    private async Task<Failure?> CheckZonesAsync(IEnumerable<string?> zones, CancellationToken ct)
    {
        foreach (var zone in zones)
        {
            if (string.IsNullOrWhiteSpace(zone)) return Failure.BadRequest("zones", "A zone name is empty; give names such as 'monaco'.");
            if (!dispatchOptions.Value.Zones.Any(z => z.Name == zone) && !await ExistsAsync("select exists (select 1 from zones where name = $1)", zone, ct)) return Failure.BadRequest("zones", $"No zone is named '{zone}'.");
        }
        return null;
    }

    // Plain SQL (the zones an admin added, couriers), not the dispatch context: that one needs the privacy keys, which
    // creating an admin should not. On this context's connection, so a courier row registered in the same transaction counts.
    private Task<string?> CourierNameAsync(Guid courierId, CancellationToken ct) =>
        db.Database.SqlQuery<string>($"select name as \"Value\" from couriers where id = {courierId}").SingleOrDefaultAsync(ct);

    private async Task<bool> ExistsAsync(string sql, object value, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} ({Role}) saved; new: {Created}")]
    private static partial void LogSaved(ILogger logger, string username, string role, bool created);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} suspended by {Actor}; {Revoked} refresh tokens revoked")]
    private static partial void LogSuspended(ILogger logger, string username, string actor, int revoked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Username} suspended while Redis is unreachable ({Reason}): its courier's connections close when it returns")]
    private static partial void LogEvictionDeferred(ILogger logger, string username, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatcher {Username} given zones [{Zones}] by {Actor}")]
    private static partial void LogZonesSet(ILogger logger, string username, string zones, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zones of account {AccountId} not changed for {Actor}: {Reason}")]
    private static partial void LogZonesRefused(ILogger logger, Guid accountId, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Username} reinstated by {Actor}")]
    private static partial void LogReinstated(ILogger logger, string username, string actor);
}
