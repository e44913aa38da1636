using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Accounts;
using Dispatch.Core.Notifications;
using Dispatch.Core.Orders;
using Dispatch.Server.Accounts;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Notifications.Customers;
using Dispatch.Server.Persistence;
using Dispatch.Server.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Customers;

/// <summary>
/// Customer sign-in by phone: sends a one-time code through the configured customer notifier, and trades a right code for
/// a customer session (the accounts' access and refresh tokens, role customer), creating the customer on first sign-in.
/// </summary>
internal sealed partial class CustomerSignInCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    UserManager<AccountUser> users,
    SessionCoordinator sessions,
    PersonalData personal,
    IEnumerable<ICustomerNotifier> notifiers,
    IOptions<CustomerNotificationOptions> notifications,
    IOptions<CustomerOptions> options,
    IOptions<DispatchOptions> dispatch,
    IOptions<AuthOptions> auth,
    TimeProvider clock,
    ILogger<CustomerSignInCoordinator> logger)
{
    /// <summary>Every refusal of a code (wrong, expired, used, no code sent) reads alike on the wire, but the log says which.</summary>
    private static Failure CodeRefused(string detail) => new(StatusCodes.Status401Unauthorized, "Code not accepted", detail, "code");

    /// <summary>Sends a fresh code to the number; answers when it expires.</summary>
    public async Task<Outcome<DateTimeOffset>> SendCodeAsync(string? phoneText, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(phoneText, dispatch.Value.DefaultCountryCallingCode, out var phone, out var error))
            return Failure.BadRequest("phone", $"phone {error}");
        var o = options.Value;
        var now = clock.GetUtcNow();
        var hash = personal.PhoneHash(phone);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var since = now.AddMinutes(-o.CodeWindowMinutes);
        var sent = await db.Set<SignInCodeRecord>().CountAsync(c => c.PhoneHash == hash && c.CreatedAt > since, ct);
        if (SignInCodeRules.CheckSend(sent, o.CodesPerNumber, o.CodeWindowMinutes) is { } tooMany)
        {
            LogCodeRefused(logger, PhoneMask.Mask(phone), tooMany);
            return new Failure(StatusCodes.Status429TooManyRequests, "Too many codes", tooMany, "phone");
        }
        var code = RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, o.CodeDigits)).ToString(new string('0', o.CodeDigits), CultureInfo.InvariantCulture);
        var record = new SignInCodeRecord { Id = Guid.CreateVersion7(), PhoneHash = hash, CreatedAt = now, ExpiresAt = now.AddMinutes(o.CodeMinutes) };
        record.CodeHash = CodeHash(record.Id, code);
        db.Set<SignInCodeRecord>().Add(record);
        await db.SaveChangesAsync(ct);

        var language = notifications.Value.DefaultLanguage;
        var text = CustomerTemplates.Render(CustomerNoticeKind.SignInCode, language, code, "");
        var notifier = notifiers.Single(n => n.Channel == notifications.Value.Channel);
        var result = await notifier.SendAsync(new CustomerMessage(Guid.Empty, "", CustomerNoticeKind.SignInCode, language, text, "", phone, "", ""), ct);
        if (!result.Sent)
        {
            LogCodeNotSent(logger, PhoneMask.Mask(phone), result.SkipReason ?? "");
            return new Failure(StatusCodes.Status503ServiceUnavailable, "Code not sent", $"The code could not be sent to this number ({result.SkipReason}); try again later.");
        }
        LogCodeSent(logger, PhoneMask.Mask(phone), record.ExpiresAt);
        return record.ExpiresAt;
    }

    /// <summary>Checks the code on the number's newest one and opens a customer session.</summary>
    public async Task<Outcome<SessionTokens>> SignInAsync(string? phoneText, string? code, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(phoneText, dispatch.Value.DefaultCountryCallingCode, out var phone, out var error))
            return Failure.BadRequest("phone", $"phone {error}");
        var o = options.Value;
        if (string.IsNullOrEmpty(code) || code.Length != o.CodeDigits || !code.All(char.IsAsciiDigit))
            return Failure.BadRequest("code", $"code is the {o.CodeDigits} digits of the message sent to the phone.");
        var now = clock.GetUtcNow();
        var hash = personal.PhoneHash(phone);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var latest = await db.Set<SignInCodeRecord>().AsNoTracking().Where(c => c.PhoneHash == hash).OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            LogSignInRefused(logger, PhoneMask.Mask(phone), "no code sent");
            return CodeRefused("No code was sent to this number; ask for one first.");
        }
        var matches = CryptographicOperations.FixedTimeEquals(latest.CodeHash, CodeHash(latest.Id, code));
        var verdict = SignInCodeRules.Judge(matches, latest.ExpiresAt, latest.UsedAt is not null, latest.Tries, o.CodeMaxTries, now);
        if (verdict == SignInCodeVerdict.Wrong)
        {
            // Counted in the row, so tries add up across nodes and racing requests.
            await db.Set<SignInCodeRecord>().Where(c => c.Id == latest.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tries, c => c.Tries + 1), ct);
        }
        if (verdict != SignInCodeVerdict.Accepted)
        {
            LogSignInRefused(logger, PhoneMask.Mask(phone), verdict.ToString());
            return CodeRefused(SignInCodeRules.Message(verdict));
        }
        // Spent only if still unspent and under the tries: of two sign-ins racing with one code, one wins.
        var spent = await db.Set<SignInCodeRecord>().Where(c => c.Id == latest.Id && c.UsedAt == null && c.Tries < o.CodeMaxTries)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        if (spent == 0) return CodeRefused(SignInCodeRules.Message(SignInCodeVerdict.Used));

        var account = await AccountAsync(db, phone, hash, now, ct);
        if (account.SuspendedAt is not null)
            return Failure.Forbidden(string.Create(CultureInfo.InvariantCulture, $"This customer account was suspended at {account.SuspendedAt:yyyy-MM-ddTHH:mm:ssZ}."));
        var session = await sessions.StartSessionAsync(account, ct);
        LogSignedIn(logger, PhoneMask.Mask(phone), account.Id);
        return session;
    }

    /// <summary>The customer's account, made with its customers row on first sign-in (a race of two first sign-ins keeps one).</summary>
    private async Task<AccountUser> AccountAsync(DispatchDbContext db, string phone, byte[] hash, DateTimeOffset now, CancellationToken ct)
    {
        var id = await db.Set<CustomerRecord>().Where(c => c.PhoneHash == hash).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (id is { } known) return (await users.FindByIdAsync(known.ToString()))!;
        var user = new AccountUser
        {
            Id = Guid.CreateVersion7(),
            Role = Roles.Customer,
            DisplayName = PhoneMask.Mask(phone),
            CreatedAt = now,
        };
        user.UserName = $"customer-{user.Id:N}";
        var created = await users.CreateAsync(user);
        if (!created.Succeeded) throw new InvalidOperationException($"Could not create a customer account: {string.Join("; ", created.Errors.Select(e => e.Description))}");
        try
        {
            db.Set<CustomerRecord>().Add(new CustomerRecord { Id = user.Id, PhoneHash = hash, Phone = phone, CreatedAt = now });
            await db.SaveChangesAsync(ct);
            return user;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await users.DeleteAsync(user);
            await using var again = await dbs.CreateDbContextAsync(ct);
            var winner = await again.Set<CustomerRecord>().Where(c => c.PhoneHash == hash).Select(c => c.Id).FirstAsync(ct);
            return (await users.FindByIdAsync(winner.ToString()))!;
        }
    }

    private byte[] CodeHash(Guid codeId, string code) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(auth.Value.SigningKey), Encoding.UTF8.GetBytes($"sign-in-code:{codeId:N}:{code}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in code sent to {Phone}, valid until {ExpiresAt}")]
    private static partial void LogCodeSent(ILogger logger, string phone, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code for {Phone} refused: {Reason}")]
    private static partial void LogCodeRefused(ILogger logger, string phone, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code for {Phone} not sent: {Reason}")]
    private static partial void LogCodeNotSent(ILogger logger, string phone, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer sign-in of {Phone} refused: {Reason}")]
    private static partial void LogSignInRefused(ILogger logger, string phone, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {Phone} signed in as {CustomerId}")]
    private static partial void LogSignedIn(ILogger logger, string phone, Guid customerId);
}
