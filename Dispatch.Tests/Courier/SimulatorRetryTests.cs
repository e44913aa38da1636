extern alias CourierApp;

using CourierApp::Dispatch.Courier.Api;
using CourierApp::Dispatch.Courier.Client;
using CourierApp::Dispatch.Courier.Simulation;
using Dispatch.Core.Payments;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Courier;

/// <summary>
/// The simulator sends its payment callback and its order creation again after a fault, as a payment provider resends a
/// notification: against a closed port (a node killed, nothing listening) and against a 503 with Retry-After (a node whose
/// PostgreSQL is down); once the server answers, the order exists once and is paid once.
/// </summary>
public sealed class SimulatorRetryTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly ZoneArea Area = new(new ZoneBounds(43.72, 7.40, 43.76, 7.44));

    /// <summary>Short pauses so the test is quick; a budget far longer than the fault lasts.</summary>
    private static readonly RetryPolicy Quick = new(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

    [Fact]
    public async Task A_payment_callback_that_meets_a_closed_port_is_sent_again_until_the_server_acknowledges_it()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await using var gate = new TcpGate("127.0.0.1", server.BaseUrl.Port);
        using var api = new DispatchApiClient(new Uri($"http://127.0.0.1:{gate.Port}/"));
        var (stream, stats) = Stream(api, await server.MerchantTokenAsync(), server.PaymentSecret);

        var paying = stream.PayAsync(order.Id, 12.5m, TestContext.Current.CancellationToken);
        await Eventually.WaitForAsync(() => Task.FromResult(stats.Retries), n => n >= 2, "two refused attempts");
        Assert.Equal(PaymentState.Pending, (await server.GetOrderAsync(order.Id)).Payment!.State);
        gate.Open();
        await paying.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(PaymentState.Paid, (await server.GetOrderAsync(order.Id)).Payment!.State);
        Assert.Equal((1, 1, 0), (stats.OrdersPaid, stats.PaymentsRetried, stats.PaymentsLost));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'paid'", order.Id));
    }

    [Fact]
    public async Task An_order_placed_while_PostgreSQL_is_down_is_created_once_and_paid_once_it_is_back()
    {
        await using var gate = TcpGate.ToPostgres();
        await using var gated = new GatedServer(postgres: gate);
        await gated.InitializeAsync();
        gated.RequireServices();
        using var api = new DispatchApiClient(gated.BaseUrl);
        var (stream, stats) = Stream(api, await gated.MerchantTokenAsync(), gated.PaymentSecret);
        var planned = new OrderFactory(new Random(3)).Create(Area, DateTimeOffset.UtcNow);

        var placing = stream.PlaceAsync(planned, "retry-" + Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);
        await Eventually.WaitForAsync(() => Task.FromResult(stats.Retries), n => n >= 1, "a refused create");
        Assert.Contains("503", stats.LastRetryReason, StringComparison.Ordinal);
        gate.Open();
        await placing.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);

        Assert.Equal((1, 1, 0, 0), (stats.OrdersCreated, stats.OrdersPaid, stats.CreatesLost, stats.PaymentsLost));
        Assert.Equal(1, stats.CreatesRetried);
        Assert.Equal(1, await gated.ScalarAsync("select count(*) from orders"));
        Assert.Equal(1, await gated.ScalarAsync("select count(*) from orders where paid_at is not null"));
    }

    private static (OrderStream Stream, SimulationStats Stats) Stream(DispatchApiClient api, string merchantToken, string paymentSecret)
    {
        var output = TextWriter.Synchronized(new StringWriter());
        var stats = new SimulationStats(output.WriteLine);
        var context = new SimulationContext(api.BaseAddress, Area, new PinBook(), stats, TimeProvider.System, output);
        var token = new RenewingToken(merchantToken, _ => Task.FromResult(merchantToken), TimeProvider.System);
        return (new OrderStream(api, token, paymentSecret, new OrderFactory(new Random(1)), context, Quick), stats);
    }
}
