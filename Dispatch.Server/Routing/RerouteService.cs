using System.Threading.Channels;

namespace Dispatch.Server.Routing;

/// <summary>
/// Re-plans routes for couriers who left theirs. The location flush only queues the request (it must never wait
/// on PostgreSQL); this service plans them one by one.
/// </summary>
internal sealed class RerouteService(RoutePlanner planner, Common.ResilientLoop loops) : BackgroundService
{
    private readonly Channel<(Guid OrderId, Guid CourierId)> _requests = Channel.CreateBounded<(Guid, Guid)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Request(Guid orderId, Guid courierId) => _requests.Writer.TryWrite((orderId, courierId));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("reroute", "re-planning a courier's route", _requests.Reader.WaitToReadAsync, PlanNextAsync, stoppingToken);

    private async ValueTask PlanNextAsync(CancellationToken stoppingToken)
    {
        if (_requests.Reader.TryRead(out var r)) await planner.TryPlanAsync(r.OrderId, r.CourierId, "deviation", stoppingToken);
    }
}
