using System.Threading.Channels;

namespace Dispatch.Server.Routing;

/// <summary>
/// Re-plans routes for couriers who left theirs. The location flush only queues the request (it must never wait
/// on PostgreSQL); this service plans them one by one.
/// </summary>
public sealed class RerouteService(RoutePlanner planner) : BackgroundService
{
    private readonly Channel<(Guid OrderId, Guid CourierId)> _requests = Channel.CreateBounded<(Guid, Guid)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Request(Guid orderId, Guid courierId) => _requests.Writer.TryWrite((orderId, courierId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (orderId, courierId) in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                await planner.TryPlanAsync(orderId, courierId, "deviation", stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
