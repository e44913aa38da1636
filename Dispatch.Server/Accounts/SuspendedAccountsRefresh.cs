using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Accounts;

/// <summary>Reads the suspended accounts into <see cref="Auth.SuspendedAccountIds"/> at start and every <see cref="AccountsOptions.SuspensionRefreshSeconds"/>.</summary>
internal sealed class SuspendedAccountsRefresh(
    Auth.SuspendedAccountIds suspended,
    NpgsqlDataSource data,
    IOptions<AccountsOptions> options,
    Common.ResilientLoop loops) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SuspensionRefreshSeconds));
        var first = true;
        await loops.RunAsync("suspended-accounts", "reading the suspended accounts", async ct =>
        {
            if (!first) return await timer.WaitForNextTickAsync(ct);
            first = false;
            return true;
        }, async ct => await suspended.RefreshAsync(data, ct), stoppingToken);
    }
}
