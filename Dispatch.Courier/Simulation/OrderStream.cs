using System.Globalization;
using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Places orders through the HTTP API at a steady rate, like a merchant would, and pays each one through the
/// signed payment callback right after it is created. Remembers each PIN for the courier who delivers it.
/// </summary>
internal sealed class OrderStream(
    DispatchApiClient api,
    Client.RenewingToken merchantToken,
    string? paymentSecret,
    OrderFactory factory,
    SimulationContext context)
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private int _trackingPrinted;

    /// <summary>Creates <paramref name="ordersPerMinute"/> orders a minute, the first one at once, until cancelled.</summary>
    public async Task RunAsync(double ordersPerMinute, CancellationToken cancellationToken)
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
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PlaceAsync(PlannedOrder planned, string idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            var created = await api.CreateOrderAsync(planned.Order, await merchantToken.CurrentAsync(), idempotencyKey, cancellationToken);
            context.Pins.Add(created.Id, created.Pin);
            context.Stats.OrderCreated();
            if (Interlocked.Exchange(ref _trackingPrinted, 1) == 0) PrintTracking(created);
            if (paymentSecret is null) return;
            await api.SendPaymentCallbackAsync(new PaymentCallback(created.Id, "paid", planned.Amount), paymentSecret, cancellationToken);
            context.Stats.OrderPaid();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is DispatchApiException or HttpRequestException or OperationCanceledException)
        {
            context.Stats.OrderFailed();
            context.Stats.Error("order", ex.Message);
        }
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
