using Dispatch.Server.Common;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// Runs the customer messages' two loops, each through <see cref="ResilientLoop"/>: the sender (woken by new rows, and
/// polling for retries and the end of quiet nights) and the delay sweep (every DelaySweepSeconds).
/// </summary>
internal sealed class CustomerNotificationService(
    CustomerNotificationCoordinator coordinator,
    IOptions<CustomerNotificationOptions> options,
    ResilientLoop loops,
    TimeProvider clock) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>New messages were added: send now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            loops.RunAsync("customer-notifications", "sending customer messages", WaitAsync, async ct =>
            {
                while (await coordinator.SendDueAsync(ct) > 0) { }
            }, stoppingToken),
            loops.RunAsync("customer-delays", "looking for late orders", SweepTickAsync, async ct =>
            {
                if (await coordinator.SweepDelaysAsync(ct) > 0) Wake();
            }, stoppingToken));

    private async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        await _wake.WaitAsync(TimeSpan.FromMilliseconds(options.Value.SendPollMilliseconds), ct);
        return true;
    }

    private async ValueTask<bool> SweepTickAsync(CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(options.Value.DelaySweepSeconds), clock, ct);
        return true;
    }
}
