using System.Collections.Frozen;
using System.Security.Claims;
using Npgsql;

namespace Dispatch.Server.Auth;

/// <summary>
/// The accounts suspended now, held in this node's memory so that every API request can refuse a suspended account's
/// unexpired access token without a query: read from PostgreSQL at start and every <c>Accounts:SuspensionRefreshSeconds</c>
/// (<see cref="Accounts.SuspendedAccountsRefresh"/>), and changed at once by a suspension or reinstatement made on this node. Another
/// node's suspension reaches this one within that interval. Hub connections ask PostgreSQL instead (<see cref="SuspendedAccounts"/>).
/// </summary>
internal sealed class SuspendedAccountIds
{
    private volatile FrozenSet<Guid> _ids = FrozenSet<Guid>.Empty;
    private readonly Lock _gate = new();
    private long _changes;

    /// <summary>True when the token's account is suspended (development tokens name no account).</summary>
    public bool Names(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(AccountClaims.AccountId), out var id) && _ids.Contains(id);

    public async Task RefreshAsync(NpgsqlDataSource data, CancellationToken ct)
    {
        long changes;
        lock (_gate) changes = _changes;
        var ids = new List<Guid>();
        await using (var command = data.CreateCommand("select id from accounts where suspended_at is not null"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        }
        lock (_gate)
        {
            // A change made here while the query ran may be missing from what it read: keep the set until the next refresh.
            if (changes == _changes) _ids = ids.ToFrozenSet();
        }
    }

    public void Suspended(Guid id)
    {
        lock (_gate)
        {
            _ids = _ids.Append(id).ToFrozenSet();
            _changes++;
        }
    }

    public void Reinstated(Guid id)
    {
        lock (_gate)
        {
            _ids = _ids.Where(x => x != id).ToFrozenSet();
            _changes++;
        }
    }
}
