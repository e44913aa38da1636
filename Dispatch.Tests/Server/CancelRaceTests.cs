using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Tests.Server;

/// <summary>
/// A cancel fired at the same moment as a courier's accept or pickup ends in exactly one outcome, every round: the loser
/// gets a 409 saying what the order became, and the rows (status, timeline, offers) agree with the winner.
/// </summary>
public sealed class CancelRaceTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    private const int Rounds = 12;

    [Fact]
    public async Task A_customer_cancel_racing_a_courier_accept_ends_in_exactly_one_of_them()
    {
        server.RequireServices();
        // Next to the casino, where customer parcels are picked up; a won accept is cancelled by a dispatcher to free capacity.
        await using var courier = await server.OnlineCourierAtAsync("cancel-race", 43.7395, 7.4275, capacity: 3);
        var alice = await server.CustomerTokenAsync("+33 6 44 00 07 01");
        var outcomes = new Dictionary<string, int> { ["cancel"] = 0, ["accept"] = 0 };

        for (var round = 0; round < Rounds; round++)
        {
            var id = (await server.PlaceParcelAsync(alice)).GetProperty("id").GetGuid();
            await PayWithSandboxAsync(alice, id);
            var offer = await courier.Offers.NextAsync(o => o.OrderId == id, what: $"round {round} offer");

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var cancelTask = Fire(gate.Task, () => server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/cancel", new { reason = "race" }));
            var acceptTask = Fire(gate.Task, () => Attempt(() => courier.AcceptAsync(offer.OfferId)));
            gate.SetResult();
            using var cancel = await cancelTask;
            var acceptError = await acceptTask;

            var cancelled = cancel.StatusCode == HttpStatusCode.OK;
            Assert.True(cancelled != (acceptError is null),
                $"round {round}: cancel {(int)cancel.StatusCode} {await cancel.Content.ReadAsStringAsync()}, accept {acceptError ?? "won"}");
            var status = await server.ScalarAsync("select status from orders where id = $1", id);
            if (cancelled)
            {
                outcomes["cancel"]++;
                Assert.Equal((long)OrderStatus.Cancelled, status);
                Assert.Matches("no longer available|cancelled|no open offer|changed", acceptError!);
                Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = $2", id, (int)OrderStatus.Accepted));
                Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status in (0, 1)", id));
            }
            else
            {
                outcomes["accept"]++;
                Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
                Assert.Contains("courier has accepted", (await cancel.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal((long)OrderStatus.Accepted, status);
                Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = $2", id, (int)OrderStatus.Cancelled));
                Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 1", id));
                Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "free the courier" })).StatusCode);
            }
            Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = $2", id, (int)OrderStatus.Offered));
        }
        Assert.Equal(Rounds, outcomes.Values.Sum());
    }

    [Fact]
    public async Task A_merchant_cancel_racing_a_pickup_ends_in_exactly_one_of_them()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("pickup-race", 43.7394, 7.4273, capacity: 3);
        var merchant = await server.MerchantTokenAsync("shop-race");

        for (var round = 0; round < Rounds; round++)
        {
            // The drop-off is where the courier stands, so a won pickup is delivered at once to free capacity.
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(dropoffLat: 43.7394, dropoffLon: 7.4273), merchant: "shop-race");
            await server.PayAsync(order.Id);
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: $"round {round} offer")).OfferId);
            await courier.ArrivedAsync(order.Id);

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var cancelTask = Fire(gate.Task, () => server.AsCustomerAsync(merchant, HttpMethod.Post, $"/api/orders/{order.Id}/cancel", new { reason = "race" }));
            var pickupTask = Fire(gate.Task, () => Attempt(() => courier.PickedUpAsync(order.Id)));
            gate.SetResult();
            using var cancel = await cancelTask;
            var pickupError = await pickupTask;

            var cancelled = cancel.StatusCode == HttpStatusCode.OK;
            Assert.True(cancelled != (pickupError is null),
                $"round {round}: cancel {(int)cancel.StatusCode} {await cancel.Content.ReadAsStringAsync()}, pickup {pickupError ?? "won"}");
            var status = await server.ScalarAsync("select status from orders where id = $1", order.Id);
            // The "arriving" milestone is a timeline row with the PickedUp status too (the drop-off is where the courier stands).
            var events = await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status in ($2, $3) and note is distinct from 'arriving'", order.Id, (int)OrderStatus.Cancelled, (int)OrderStatus.PickedUp);
            Assert.Equal(1, events);
            if (cancelled)
            {
                Assert.Equal((long)OrderStatus.Cancelled, status);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
                // Whichever moment the cancel lost at, it says the order can no longer be cancelled (never "retry").
                Assert.Contains("can no longer be cancelled", (await cancel.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal((long)OrderStatus.PickedUp, status);
                await courier.DeliveredAsync(order.Id, order.Pin!);
            }
        }
    }

    private static async Task<T> Fire<T>(Task gate, Func<Task<T>> call)
    {
        await gate;
        return await call();
    }

    private static async Task<string?> Attempt(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (HubException ex)
        {
            return ex.Message;
        }
    }

    private async Task PayWithSandboxAsync(string token, Guid id)
    {
        var started = await server.AsCustomerAsync(token, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "sandbox" });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var payment = await started.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var paid = await server.Http.PostAsync(payment.GetProperty("client").GetProperty("payUrl").GetString(), null);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
    }
}
