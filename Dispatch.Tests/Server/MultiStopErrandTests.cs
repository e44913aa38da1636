using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using Dispatch.Server.Errands;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Multi-stop errands on the real server, PostgreSQL and Redis, over the real SignalR client: stops between pickup and
/// drop-off, done after pickup, in order, once; delivery held until all are done; every stop a row in the timeline.
/// </summary>
public sealed class MultiStopErrandTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    // Both inside the Monaco zone, between the Casino (pickup) and Fontvieille (drop-off).
    private const double KeysLat = 43.7368, KeysLon = 7.4229;
    private const double PressingLat = 43.7335, PressingLon = 7.4180;

    public static JsonArray TwoStops() =>
    [
        new JsonObject { ["lat"] = KeysLat, ["lon"] = KeysLon, ["address"] = "Chez Gérard, 4 rue Grimaldi", ["action"] = "pickup", ["note"] = "keys under the name Martin" },
        new JsonObject { ["lat"] = PressingLat, ["lon"] = PressingLon, ["address"] = "Pressing Grimaldi", ["action"] = "pickup", ["note"] = "ticket 41, two shirts" },
    ];

    public static JsonObject Body(JsonArray stops)
    {
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["stops"] = stops;
        return body;
    }

    [Fact]
    public async Task Stops_are_done_after_pickup_in_order_once_and_delivery_waits_for_the_last()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("ms-loop", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(Body(TwoStops()));
        Assert.Equal(["Chez Gérard, 4 rue Grimaldi", "Pressing Grimaldi"], order.Stops!.Select(s => s.Address));
        Assert.Equal([0, 1], order.Stops!.Select(s => s.Index));
        Assert.All(order.Stops!, s => Assert.Null(s.DoneAt));
        Assert.Equal(StopAction.Pickup, order.Stops![1].Action);
        Assert.Equal("ticket 41, two shirts", order.Stops![1].Note);

        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        Assert.Equal(2, offer.Stops!.Length);
        var job = (await courier.AcceptAsync(offer.OfferId)).Job;
        Assert.Equal([KeysLat, PressingLat], job.Stops!.Select(s => s.Lat));

        await using var tracking = await server.ConnectTrackingAsync();
        var pushes = new Inbox<StopCompleted>();
        tracking.On<StopCompleted>(nameof(ITrackingClient.StopCompleted), pushes.Handler);
        var snapshot = await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.Equal(["Chez Gérard, 4 rue Grimaldi", "Pressing Grimaldi"], snapshot.Stops!.Select(s => s.Address));

        var early = await Assert.ThrowsAsync<HubException>(() => courier.CompleteStopAsync(order.Id, 0));
        Assert.Contains($"Pick up order {order.Number} first", early.Message, StringComparison.Ordinal);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        var skipped = await Assert.ThrowsAsync<HubException>(() => courier.CompleteStopAsync(order.Id, 1));
        Assert.Contains("Do stop 1 of 2 (Chez Gérard, 4 rue Grimaldi) first", skipped.Message, StringComparison.Ordinal);

        var first = await courier.CompleteStopAsync(order.Id, 0);
        Assert.Equal((1, 2, "stop 1 of 2 done: Chez Gérard, 4 rue Grimaldi"), (first.Done, first.Total, first.Note));
        Assert.NotNull(first.Stop.DoneAt);
        var pushed = await pushes.NextAsync(what: "StopCompleted push to the tracking page");
        Assert.Equal(0, pushed.Stop.Index);

        var twice = await Assert.ThrowsAsync<HubException>(() => courier.CompleteStopAsync(order.Id, 0));
        Assert.Contains("Stop 1 of 2 (Chez Gérard, 4 rue Grimaldi)", twice.Message, StringComparison.Ordinal);
        Assert.Contains("was already done", twice.Message, StringComparison.Ordinal);
        var outOfRange = await Assert.ThrowsAsync<HubException>(() => courier.CompleteStopAsync(order.Id, 2));
        Assert.Contains($"Order {order.Number} has 2 stops; there is no stop 3.", outOfRange.Message, StringComparison.Ordinal);

        var held = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.Contains($"Order {order.Number} still has stop 2 of 2 (Pressing Grimaldi) to do", held.Message, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(order.Id)).Status);

        var second = await courier.CompleteStopAsync(order.Id, 1);
        Assert.Equal((2, 2, "stop 2 of 2 done: Pressing Grimaldi"), (second.Done, second.Total, second.Note));
        await pushes.NextAsync(p => p.Stop.Index == 1, what: "second StopCompleted push");
        await courier.DeliverAtDropoffAsync(order);

        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, view.Status);
        Assert.All(view.Stops!, s => Assert.NotNull(s.DoneAt));
        Assert.True(view.Stops![0].DoneAt <= view.Stops[1].DoneAt);
        var stopEvents = view.Timeline.Where(t => t.Note?.StartsWith(StopRules.NotePrefix, StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["stop 1 of 2 done: Chez Gérard, 4 rue Grimaldi", "stop 2 of 2 done: Pressing Grimaldi"], stopEvents.Select(e => e.Note));
        Assert.All(stopEvents, e => Assert.Equal((OrderStatus.PickedUp, $"courier:{courier.Id:N}"), (e.Status, e.Actor)));
        Assert.All(stopEvents, e => Assert.NotNull(e.Lat));
        // The fee runs through the stops: longer than the straight Casino → Fontvieille hop.
        Assert.True(view.CourierFeeCents > 300 + 80 * 1.2, $"fee {view.CourierFeeCents}");

        // In PostgreSQL itself: two stop rows between pickup and delivery, and the stored stops have their times.
        Assert.Equal(2, await server.ScalarAsync(
            "select count(*) from order_events e where e.order_id = $1 and e.note like 'stop % done: %' and e.status = $2 and e.at > (select min(at) from order_events where order_id = $1 and status = $2) and e.at < (select min(at) from order_events where order_id = $1 and status = $3)",
            order.Id, (int)OrderStatus.PickedUp, (int)OrderStatus.Delivered));
        Assert.Equal(2, await server.ScalarAsync("select count(*) from orders o, jsonb_array_elements(o.stops) s where o.id = $1 and s->>'doneAt' is not null", order.Id));
    }

    [Fact]
    public async Task Two_taps_on_one_stop_at_once_record_it_once()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("ms-race", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(Body(TwoStops()));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        // Straight to the coordinator: one hub connection runs its calls one at a time, two phones would not.
        var stops = server.Services.GetRequiredService<StopCoordinator>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => stops.CompleteAsync(courier.Id, order.Id, 0, CancellationToken.None))));

        Assert.Single(outcomes, o => o.Ok);
        var loser = Assert.Single(outcomes, o => !o.Ok);
        Assert.Contains("was already done", loser.Failure!.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note like 'stop %'", order.Id));
    }

    [Theory]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 7.4229, \"address\": \"A\", \"action\": \"pickup\"}, {\"lat\": 95, \"lon\": 7.42, \"address\": \"B\", \"action\": \"pickup\"}]", "stops[1].lat")]
    [InlineData("[{\"lon\": 7.4229, \"address\": \"A\", \"action\": \"pickup\"}]", "stops[0].lat")]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 200, \"address\": \"A\", \"action\": \"pickup\"}]", "stops[0].lon")]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 7.4229, \"address\": \"A\", \"action\": \"fly\"}]", "stops[0].action")]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 7.4229, \"address\": \"A\"}]", "stops[0].action")]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 7.4229, \"address\": \" \", \"action\": \"dropoff\"}]", "stops[0].address")]
    [InlineData("[null]", "stops[0]")]
    [InlineData("[{\"lat\": 43.7368, \"lon\": 7.4229, \"address\": \"A\", \"action\": \"pickup\"}, {\"lat\": 43.70, \"lon\": 7.27, \"address\": \"Nice\", \"action\": \"dropoff\"}]", "stops[1]")]
    public async Task A_bad_stop_is_a_problem_naming_the_field(string stops, string field)
    {
        server.RequireServices();
        var problem = await RefusedAsync(JsonNode.Parse(stops)!.AsArray());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"problem names {field}: {problem}");
        if (field == "stops[1]") Assert.Contains("outside zone monaco", messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_five_stops_are_refused()
    {
        server.RequireServices();
        var six = new JsonArray([.. Enumerable.Range(0, 6).Select(i => (JsonNode)new JsonObject
        {
            ["lat"] = KeysLat, ["lon"] = KeysLon, ["address"] = $"Stop {i}", ["action"] = "dropoff",
        })]);
        var problem = await RefusedAsync(six);
        Assert.Contains("at most 5 stops", problem.GetProperty("errors").GetProperty("stops")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_without_stops_shows_none_and_refuses_completing_one()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("ms-plain", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync();
        Assert.Null(order.Stops);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        Assert.Null(offer.Stops);
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        var none = await Assert.ThrowsAsync<HubException>(() => courier.CompleteStopAsync(order.Id, 0));
        Assert.Contains("has no stops between pickup and drop-off", none.Message, StringComparison.Ordinal);
        await courier.DeliverAtDropoffAsync(order);
    }

    private async Task<JsonElement> RefusedAsync(JsonArray stops)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(Body(stops)) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync());
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
