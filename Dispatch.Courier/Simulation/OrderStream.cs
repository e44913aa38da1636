using System.Globalization;
using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Places orders through the HTTP API at a steady rate, like a merchant would, and pays each one through the
/// signed payment callback right after it is created. Both calls are sent again after a fault, as a provider resends its
/// notifications (<see cref="RetryPolicy"/>): the order carries its Idempotency-Key and a repeated callback changes nothing.
/// Remembers each PIN for the courier who delivers it.
/// </summary>
internal sealed class OrderStream(
    DispatchApiClient api,
    Client.RenewingToken merchantToken,
    string? paymentSecret,
    OrderFactory factory,
    SimulationContext context,
    RetryPolicy? retry = null)
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Provider;
    private int _trackingPrinted;

    /// <summary>
    /// Creates <paramref name="ordersPerMinute"/> orders a minute, the first one at once, until <paramref name="stopPlacing"/>;
    /// then waits for the orders still being created or paid, which only <paramref name="cancellationToken"/> cuts short.
    /// </summary>
    public async Task RunAsync(double ordersPerMinute, CancellationToken stopPlacing, CancellationToken cancellationToken)
    {
        if (ordersPerMinute <= 0) return;
        var inFlight = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1 / ordersPerMinute), context.Time);
        var sequence = 0;
        try
        {
            do
            {
                // Planned here, on one thread, because Random is not thread-safe; placed concurrently so a slow
                // answer does not slow the stream.
                var planned = factory.Create(context.Area, context.Time.GetUtcNow());
                var key = string.Create(CultureInfo.InvariantCulture, $"sim-{_runId}-{++sequence}");
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(PlaceAsync(planned, key, cancellationToken));
            }
            while (await timer.WaitForNextTickAsync(stopPlacing));
        }
        catch (OperationCanceledException) when (stopPlacing.IsCancellationRequested)
        {
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>Creates one order and pays it, each call retried after faults; counted in the stats however it ends.</summary>
    internal async Task PlaceAsync(PlannedOrder planned, string idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            var created = await SendAsync(SimulationStats.CreateCall, idempotencyKey, async ct =>
                await api.CreateOrderAsync(planned.Order, await merchantToken.CurrentAsync(), idempotencyKey, ct), cancellationToken);
            if (created is null) return;
            context.Pins.Add(created.Id, created.Pin);
            context.Stats.OrderCreated();
            if (Interlocked.Exchange(ref _trackingPrinted, 1) == 0) PrintTracking(created);
            if (paymentSecret is null) return;
            await PayAsync(created.Id, planned.Amount, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends the signed "paid" callback for <paramref name="orderId"/> until it is acknowledged or the budget runs out.</summary>
    internal async Task PayAsync(Guid orderId, decimal amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paymentSecret);
        var paid = await SendAsync(SimulationStats.PayCall, orderId.ToString(), async ct =>
        {
            await api.SendPaymentCallbackAsync(new PaymentCallback(orderId, "paid", amount), paymentSecret, ct);
            return true;
        }, cancellationToken);
        if (paid) context.Stats.OrderPaid();
    }

    private async Task<T?> SendAsync<T>(string call, string subject, Func<CancellationToken, Task<T>> send, CancellationToken cancellationToken)
    {
        var outcome = await RetryingCall.RunAsync(send, _retry, context.Time, context.Stats.RetryScheduled, cancellationToken);
        if (outcome.Succeeded)
        {
            if (outcome.Attempts > 1) context.Stats.Retried(call, subject, outcome.Attempts, outcome.Elapsed);
            return outcome.Value;
        }
        if (outcome.LostToFault)
        {
            context.Stats.LostToFault(call, subject, outcome.Attempts, outcome.Elapsed, outcome.Error!.Message);
        }
        else
        {
            context.Stats.OrderFailed();
            context.Stats.Error(call == SimulationStats.CreateCall ? "order" : "payment", outcome.Error!.Message);
        }
        return default;
    }

    private void PrintTracking(CreatedOrder created)
    {
        var server = context.Server.ToString().TrimEnd('/');
        var url = Uri.TryCreate(created.TrackingUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? created.TrackingUrl
            : server + created.TrackingUrl;
        context.Output.WriteLine($"First order {created.Number} ({created.Id}) tracking token {created.TrackingToken}");
        // The demo script greps this exact line.
        context.Output.WriteLine($"TRACKING {url}");
    }
}
