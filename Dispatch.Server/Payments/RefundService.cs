using Dispatch.Server.Common;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>Runs the refund loop through <see cref="ResilientLoop"/>: woken when a refund is queued on this node, and polling for retries and other nodes' rows.</summary>
internal sealed class RefundService : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly RefundCoordinator _refunds;
    private readonly IOptions<PaymentOptions> _options;
    private readonly ResilientLoop _loops;

    public RefundService(RefundCoordinator refunds, IOptions<PaymentOptions> options, ResilientLoop loops)
    {
        _refunds = refunds;
        _options = options;
        _loops = loops;
        refunds.Queued += Wake;
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _loops.RunAsync("payment-refunds", "giving money back", async ct =>
        {
            await _wake.WaitAsync(TimeSpan.FromMilliseconds(_options.Value.RefundPollMilliseconds), ct);
            return true;
        }, async ct =>
        {
            while (await _refunds.RefundDueAsync(ct) > 0) { }
        }, stoppingToken);

    public override void Dispose()
    {
        _refunds.Queued -= Wake;
        _wake.Dispose();
        base.Dispose();
    }
}
