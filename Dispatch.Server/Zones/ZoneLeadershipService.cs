using Dispatch.Server.Common;
using Npgsql;

namespace Dispatch.Server.Zones;

/// <summary>
/// Renews this node's zone leases (<see cref="ZoneLeadership"/>) every third of a lease; takes the free ones before the dispatch
/// loop starts, and gives them all back when the node stops so another node takes over at once.
/// </summary>
internal sealed partial class ZoneLeadershipService(ZoneLeadership leadership, ResilientLoop loops, ILogger<ZoneLeadershipService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await leadership.RenewAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The database is not there yet: the loop keeps asking, and the node dispatches nothing meanwhile.
            LogFirstTakeFailed(logger, ex);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(leadership.RenewEvery);
        await loops.RunAsync("zone-leases", "renewing this node's zone leases", timer.WaitForNextTickAsync,
            async ct => await leadership.RenewAsync(ct), stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await leadership.ReleaseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // The leases run out by themselves.
            LogReleaseFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take zone leases at start; retrying in the background")]
    private static partial void LogFirstTakeFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back zone leases on stop; they expire by themselves")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex);
}
