using Dispatch.Core.Validation;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Accounts;

/// <summary>
/// The admin console's lists: accounts and merchant organisations, searched by a word and keyset-paged by name (the
/// <c>after</c> of a page is the last name it showed), so the console picks from them instead of typing names.
/// </summary>
internal sealed class AccountDirectory(AccountsDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<Outcome<ListPage<AccountView>>> AccountsAsync(string? q, string? role, string? after, int? limit, CancellationToken ct)
    {
        if (Check(q, after, limit) is { } bad) return bad;
        if (role is not null && !AccountsComposition.IsRole(role)) return Failure.BadRequest("role", $"role must be one of {string.Join(", ", Roles.All)}.");
        var take = limit ?? DefaultLimit;
        var users = db.Users.AsNoTracking();
        if (role is not null) users = users.Where(u => u.Role == role);
        if (Like(q) is { } like)
        {
            users = users.Where(u => EF.Functions.ILike(u.UserName!, like) || (u.DisplayName != null && EF.Functions.ILike(u.DisplayName, like))
                || (u.Organisation != null && EF.Functions.ILike(u.Organisation, like)));
        }
        if (after is not null) users = users.Where(u => string.Compare(u.UserName, after) > 0);
        var rows = await users.OrderBy(u => u.UserName).Take(take + 1).ToListAsync(ct);
        var page = rows.Take(take).Select(u => new AccountView(u.Id, u.UserName!, u.Role, u.DisplayName, u.Organisation, u.CourierId, u.Zones, u.SuspendedAt, u.CreatedAt)).ToList();
        return new ListPage<AccountView>(page, rows.Count > take ? page[^1].Username : null);
    }

    public async Task<Outcome<ListPage<OrganisationView>>> OrganisationsAsync(string? q, string? after, int? limit, CancellationToken ct)
    {
        if (Check(q, after, limit) is { } bad) return bad;
        var take = limit ?? DefaultLimit;
        var fromUsers = db.Users.AsNoTracking().Where(u => u.Role == Roles.Merchant && u.Organisation != null).Select(u => u.Organisation!);
        var fromKeys = db.MerchantKeys.AsNoTracking().Select(k => k.Organisation);
        var names = fromUsers.Union(fromKeys);
        if (Like(q) is { } like) names = names.Where(n => EF.Functions.ILike(n, like));
        if (after is not null) names = names.Where(n => string.Compare(n, after) > 0);
        var picked = await names.OrderBy(n => n).Take(take + 1).ToListAsync(ct);
        var page = picked.Take(take).ToArray();
        var users = await db.Users.AsNoTracking().Where(u => u.Role == Roles.Merchant && page.Contains(u.Organisation!))
            .GroupBy(u => u.Organisation!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var keys = await db.MerchantKeys.AsNoTracking().Where(k => k.RevokedAt == null && page.Contains(k.Organisation))
            .GroupBy(k => k.Organisation).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var views = page.Select(n => new OrganisationView(n, users.GetValueOrDefault(n), keys.GetValueOrDefault(n))).ToList();
        return new ListPage<OrganisationView>(views, picked.Count > take ? page[^1] : null);
    }

    public Task<string?> UsernameAsync(Guid id, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.UserName).FirstOrDefaultAsync(ct);

    private static Failure? Check(string? q, string? after, int? limit)
    {
        if (TextRules.Check("q", q, 64) is { } badQ) return Failure.BadRequest("q", badQ);
        if (TextRules.Check("after", after, 64) is { } badAfter) return Failure.BadRequest("after", badAfter);
        if (limit is < 1 or > MaxLimit) return Failure.BadRequest("limit", $"limit is 1–{MaxLimit} (default {DefaultLimit}).");
        return null;
    }

    /// <summary>An ILIKE pattern finding <paramref name="q"/> anywhere, its own % and _ taken literally; null for no search.</summary>
    private static string? Like(string? q) => string.IsNullOrWhiteSpace(q)
        ? null
        : "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
