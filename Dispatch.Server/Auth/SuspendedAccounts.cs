using System.Security.Claims;
using Npgsql;

namespace Dispatch.Server.Auth;

/// <summary>
/// Whether a token names an account an admin suspended after issuing it. Asked when a hub connection opens: a connection
/// lives for many minutes, while an API request's token ends within minutes (<c>Accounts:AccessTokenMinutes</c>).
/// </summary>
internal static class SuspendedAccounts
{
    public static async Task<bool> IsSuspendedAsync(NpgsqlDataSource data, ClaimsPrincipal user, CancellationToken ct)
    {
        // Development tokens name no account: nothing to look up.
        if (!Guid.TryParse(user.FindFirstValue(AccountClaims.AccountId), out var id)) return false;
        await using var command = data.CreateCommand("select exists (select 1 from accounts where id = $1 and suspended_at is not null)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
