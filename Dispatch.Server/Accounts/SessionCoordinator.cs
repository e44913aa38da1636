using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Accounts;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Accounts;

/// <summary>Sign-in, refresh (rotation, reuse detection) and sign-out: the side effects of sessions, in one place.</summary>
internal sealed partial class SessionCoordinator(
    UserManager<AccountUser> users,
    AccountsDbContext db,
    TokenIssuer tokens,
    IOptions<AccountsOptions> options,
    TimeProvider clock,
    ILogger<SessionCoordinator> logger)
{
    /// <summary>Wrong password and unknown user get this same answer, so it does not tell which usernames exist.</summary>
    public static readonly Failure WrongCredentials = new(StatusCodes.Status401Unauthorized, "Wrong username or password", "The username or password is wrong.");

    public static readonly Failure UnknownRefreshToken = new(StatusCodes.Status401Unauthorized, "Refresh token not valid", "This refresh token is not known (or has expired and been removed); sign in again.");

    // Verified when the username is unknown, so that answer takes as long as a wrong password.
    private static readonly string DummyHash = new PasswordHasher<AccountUser>().HashPassword(new AccountUser(), "not a password of anyone");

    public async Task<Outcome<SessionTokens>> SignInAsync(string username, string password, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new AccountUser(), DummyHash, password);
            LogSignInRefused(logger, username, "unknown user");
            return WrongCredentials;
        }
        if (await users.IsLockedOutAsync(user)) return Locked(user);
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            LogSignInRefused(logger, username, "wrong password");
            return await users.IsLockedOutAsync(user) ? Locked(user) : WrongCredentials;
        }
        if (user.SuspendedAt is not null) return Suspended(user);
        if (await users.GetAccessFailedCountAsync(user) > 0) await users.ResetAccessFailedCountAsync(user);
        var session = await IssueAsync(user, Guid.CreateVersion7(), ct);
        LogSignedIn(logger, user.UserName!, user.Role);
        return session;
    }

    /// <summary>Opens a session for an account that proved itself another way (a customer's phone code).</summary>
    public Task<SessionTokens> StartSessionAsync(AccountUser user, CancellationToken ct) => IssueAsync(user, Guid.CreateVersion7(), ct);

    public async Task<Outcome<SessionTokens>> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var hash = Hash(refreshToken);
        var found = await db.RefreshTokens.AsNoTracking().Where(t => t.TokenHash == hash)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u }).SingleOrDefaultAsync(ct);
        if (found is null) return UnknownRefreshToken;
        var (token, user) = (found.Token, found.User);
        var now = clock.GetUtcNow();
        switch (RefreshRules.Judge(token.SpentAt is not null, token.RevokedAt is not null, user.SuspendedAt is not null, token.ExpiresAt, now))
        {
            case RefreshVerdict.Reused:
                return await ReusedAsync(token, user);
            case RefreshVerdict.Revoked:
                return new Failure(StatusCodes.Status401Unauthorized, "Refresh token revoked", $"This session was ended ({token.RevokedReason}); sign in again.");
            case RefreshVerdict.Suspended:
                return Suspended(user);
            case RefreshVerdict.Expired:
                return new Failure(StatusCodes.Status401Unauthorized, "Refresh token expired", "This session has expired; sign in again.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Spent only if nobody spent it first: of two refreshes racing with one token, the second is a reuse.
        var spent = await db.RefreshTokens.Where(t => t.Id == token.Id && t.SpentAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SpentAt, now), ct);
        if (spent == 0)
        {
            await tx.RollbackAsync(ct);
            return await ReusedAsync(token, user);
        }
        var session = await IssueAsync(user, token.FamilyId, ct);
        await tx.CommitAsync(ct);
        return session;
    }

    /// <summary>Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored: signing out twice is fine.</summary>
    public async Task SignOutAsync(string refreshToken, CancellationToken ct)
    {
        var hash = Hash(refreshToken);
        var family = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(ct);
        if (family is { } id) await RevokeFamilyAsync(id, "sign-out", ct);
    }

    /// <summary>Revokes every session of an account (suspension, password reset).</summary>
    public Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), ct);
    }

    private async Task<Failure> ReusedAsync(RefreshTokenRecord token, AccountUser user)
    {
        // Not the request's token: revoking must not be cut short by a client that gave up.
        var revoked = await RevokeFamilyAsync(token.FamilyId, "reuse", CancellationToken.None);
        LogReuse(logger, user.UserName!, token.FamilyId, revoked);
        return new Failure(StatusCodes.Status401Unauthorized, "Refresh token already used",
            "This refresh token was used before, so it may have been copied: every token of this session is revoked. Sign in again.");
    }

    private Task<int> RevokeFamilyAsync(Guid familyId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), ct);
    }

    private async Task<SessionTokens> IssueAsync(AccountUser user, Guid familyId, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var refresh = Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new RefreshTokenRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            FamilyId = familyId,
            TokenHash = Hash(refresh),
            CreatedAt = now,
            ExpiresAt = now.AddDays(o.RefreshTokenDays),
        };
        db.RefreshTokens.Add(record);
        await db.SaveChangesAsync(ct);
        var lifetime = TimeSpan.FromMinutes(o.AccessTokenMinutes);
        var name = user.DisplayName ?? user.UserName!;
        var access = tokens.Issue(user.Subject, user.Role, name, lifetime, Claims(user));
        return new SessionTokens(access, now + lifetime, refresh, record.ExpiresAt, user.Role, user.Subject, name);
    }

    /// <summary>Beyond sub, role and name: the account id (who, when the subject is an organisation) and a dispatcher's zones.</summary>
    private static IEnumerable<Claim> Claims(AccountUser user)
    {
        yield return new Claim(AccountClaims.AccountId, user.Id.ToString());
        foreach (var zone in user.Zones) yield return new Claim(AccountClaims.Zones, zone);
    }

    private static Failure Locked(AccountUser user)
    {
        var until = user.LockoutEnd ?? DateTimeOffset.MaxValue;
        return new Failure(StatusCodes.Status403Forbidden, "Account locked",
            string.Create(CultureInfo.InvariantCulture, $"Too many wrong passwords: this account is locked until {until:yyyy-MM-ddTHH:mm:ssZ}."));
    }

    private static Failure Suspended(AccountUser user) => new(StatusCodes.Status403Forbidden, "Account suspended",
        string.Create(CultureInfo.InvariantCulture, $"This account was suspended by an admin at {user.SuspendedAt:yyyy-MM-ddTHH:mm:ssZ}."));

    internal static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in of {Username} refused: {Reason}")]
    private static partial void LogSignInRefused(ILogger logger, string username, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Username} signed in as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string username, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A spent refresh token of {Username} was used again: session {FamilyId} revoked ({Revoked} tokens)")]
    private static partial void LogReuse(ILogger logger, string username, Guid familyId, int revoked);
}
