using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Alerts;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The control-room feed and commands against the real server, PostgreSQL and Redis: a dispatcher's board gets the zone's
/// couriers, open orders, alerts and key figures, then batched frames; dispatchers assign and reassign orders, move all of a
/// courier's orders, acknowledge alerts and search orders. Each test works at its own spot of Monaco, so couriers left
/// online by earlier tests are never the nearest.
/// </summary>
public sealed class ControlRoomTests(ControlRoomServer server) : IClassFixture<ControlRoomServer>
{
    [Fact]
    public async Task A_board_sees_every_courier_then_frames_as_they_move()
    {
        server.RequireServices();
        await using var already = await server.OnlineCourierAtAsync("board-a", 43.7380, 7.4250);
        await using var board = await ConnectAsync("dispatcher");
        var frames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);

        var first = await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        var seen = Assert.Single(first.Couriers, c => c.CourierId == already.Id);
        Assert.Equal(43.7380, seen.Lat, 5);
        Assert.Equal(CourierActivity.Idle, seen.Activity);
        Assert.Equal(already.Name, seen.Name);
        Assert.NotNull(first.Kpis);
        Assert.NotNull(first.Orders);
        Assert.NotNull(first.Alerts);

        await using var mover = await server.OnlineCourierAtAsync("board-b", 43.7360, 7.4230);
        await mover.MoveToAsync(43.7362, 7.4232);
        var frame = await frames.NextAsync(f => f.Couriers.Any(c => c.CourierId == mover.Id && Math.Abs(c.Lat - 43.7362) < 1e-6), what: "frame with the moved courier");
        Assert.Equal("monaco", frame.Zone);
        Assert.Single(frame.Couriers, c => c.CourierId == mover.Id); // coalesced: once per frame
    }

    [Fact]
    public async Task Couriers_and_unknown_zones_are_refused()
    {
        server.RequireServices();
        await using var board = await ConnectAsync("dispatcher");
        var unknown = await Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "atlantis"));
        Assert.Contains("not served", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("courier"));
    }

    [Fact]
    public async Task Open_orders_arrive_in_frames_as_they_change_and_leave_when_cancelled()
    {
        server.RequireServices();
        const double lat = 43.7450, lon = 7.4330;
        await using var courier = await server.OnlineCourierAtAsync("board-orders", lat, lon);
        await using var board = await ConnectAsync("dispatcher");
        var frames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");

        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: 43.7480, dropoffLon: 7.4360));
        await server.PayAsync(order.Id);
        var offered = await frames.NextAsync(f => f.Orders?.Any(o => o.OrderId == order.Id) == true, what: "frame with the new order");
        var shown = Assert.Single(offered.Orders!, o => o.OrderId == order.Id);
        Assert.Equal(order.Number, shown.Number);
        Assert.True(AlertRules.IsUnassigned(shown.Status), $"a new order is waiting for a courier, not {shown.Status}");
        Assert.Equal(lat, shown.PickupLat, 6);

        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        var accepted = await frames.NextAsync(f => f.Orders?.Any(o => o.OrderId == order.Id && o.Status == OrderStatus.Accepted) == true, what: "frame with the accepted order");
        var taken = Assert.Single(accepted.Orders!, o => o.OrderId == order.Id);
        Assert.Equal(courier.Id, taken.CourierId);
        Assert.Equal(courier.Name, taken.CourierName);

        // A board opening now gets it in the snapshot, with the key figures counting it.
        await using var late = await ConnectAsync("admin");
        var snapshot = await late.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        Assert.Contains(snapshot.Orders!, o => o.OrderId == order.Id && o.Status == OrderStatus.Accepted);
        Assert.True(snapshot.Kpis!.Assigned >= 1);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/orders/{order.Id}/cancel", new { reason = "customer called" }, "dispatcher")).StatusCode);
        await frames.NextAsync(f => f.RemovedOrders?.Contains(order.Id) == true, what: "frame removing the cancelled order");
    }

    [Fact]
    public async Task A_dispatcher_reassigns_before_pickup_and_both_couriers_are_told_but_not_after_pickup()
    {
        server.RequireServices();
        const double lat = 43.7290, lon = 7.4150;
        await using var first = await server.OnlineCourierAtAsync("reassign-a", lat, lon);
        var body = DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: 43.7330, dropoffLon: 7.4190);
        var order = await server.CreateOrderAsync(body);
        await server.PayAsync(order.Id);
        await first.AcceptAsync((await first.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await using var second = await server.OnlineCourierAtAsync("reassign-b", lat + 0.0004, lon);

        // Refusals change nothing: a courier may not, a courier id is needed, an unknown courier is named.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync($"/api/orders/{order.Id}/assign", new { courierId = second.Id }, "courier")).StatusCode);
        var missing = await PostAsync($"/api/orders/{order.Id}/assign", new { reason = "x" }, "dispatcher");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("courierId", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"/api/orders/{order.Id}/assign", new { courierId = Guid.NewGuid() }, "dispatcher")).StatusCode);
        var same = await PostAsync($"/api/orders/{order.Id}/assign", new { courierId = first.Id }, "dispatcher");
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Equal(first.Id, (await server.GetOrderAsync(order.Id)).CourierId);

        var response = await PostAsync($"/api/orders/{order.Id}/assign", new { courierId = second.Id, reason = "first courier has a flat tyre" }, "dispatcher");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await second.Assigned.NextAsync(a => a.Job.OrderId == order.Id, what: "job pushed to the new courier");
        Assert.Equal(OrderStatus.Accepted, job.Job.Status);
        Assert.Equal("first courier has a flat tyre", job.Reason);
        var told = await first.Reassigned.NextAsync(r => r.OrderId == order.Id, what: "notice to the previous courier");
        Assert.Equal(order.Number, told.OrderNumber);
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(second.Id, view.CourierId);
        Assert.Equal(OrderStatus.Accepted, view.Status);
        Assert.Equal("dispatcher:dispatcher-1", view.Timeline[^1].Actor);
        Assert.Contains("reassigned by dispatcher", view.Timeline[^1].Note, StringComparison.Ordinal);

        // The old courier can no longer work it; the new one can.
        await Assert.ThrowsAsync<HubException>(() => first.ArrivedAsync(order.Id));
        await second.ArrivedAsync(order.Id);
        await second.PickedUpAsync(order.Id);

        var afterPickup = await PostAsync($"/api/orders/{order.Id}/assign", new { courierId = first.Id }, "dispatcher");
        Assert.Equal(HttpStatusCode.Conflict, afterPickup.StatusCode);
        Assert.Contains("already has the goods", await afterPickup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.PickedUp, view.Status);
        Assert.Equal(second.Id, view.CourierId);

        // An unpaid order cannot be assigned either.
        var unpaid = await server.CreateOrderAsync(body);
        var refused = await PostAsync($"/api/orders/{unpaid.Id}/assign", new { courierId = first.Id }, "admin");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("not paid yet", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(unpaid.Id)).Status);
    }

    [Fact]
    public async Task Moving_all_of_a_couriers_orders_gives_each_to_the_best_other_courier_and_keeps_what_is_picked_up()
    {
        server.RequireServices();
        const double lat = 43.7500, lon = 7.4380;
        await using var leaving = await server.OnlineCourierAtAsync("bulk-a", lat, lon);
        var body = DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: 43.7470, dropoffLon: 7.4350);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var order = await server.CreateOrderAsync(body);
            await server.PayAsync(order.Id);
            await leaving.AcceptAsync((await leaving.Offers.NextAsync(o => o.OrderId == order.Id, what: $"offer {i}")).OfferId);
            ids.Add(order.Id);
        }
        await leaving.ArrivedAsync(ids[2]);
        await leaving.PickedUpAsync(ids[2]);
        await using var taking = await server.OnlineCourierAtAsync("bulk-b", lat + 0.0003, lon);

        var response = await PostAsync($"/api/couriers/{leaving.Id}/reassign", new { reason = "end of shift" }, "dispatcher");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var moved = result.GetProperty("moved").EnumerateArray().ToList();
        Assert.Equal(2, moved.Count);
        Assert.All(moved, m => Assert.Equal(taking.Id, m.GetProperty("courierId").GetGuid()));
        var kept = Assert.Single(result.GetProperty("kept").EnumerateArray());
        Assert.Equal(ids[2], kept.GetProperty("orderId").GetGuid());
        Assert.Contains("picked up", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);

        foreach (var id in ids.Take(2))
        {
            await taking.Assigned.NextAsync(a => a.Job.OrderId == id, what: $"job {id}");
            await leaving.Reassigned.NextAsync(r => r.OrderId == id, what: $"notice {id}");
            Assert.Equal(taking.Id, (await server.GetOrderAsync(id)).CourierId);
        }
        Assert.Equal(leaving.Id, (await server.GetOrderAsync(ids[2])).CourierId);
    }

    [Fact]
    public async Task An_alert_acknowledged_by_a_dispatcher_leaves_every_board_and_couriers_may_not_acknowledge()
    {
        server.RequireServices();
        await using var board = await ConnectAsync("dispatcher");
        await using var other = await ConnectAsync("admin");
        var frames = new Inbox<BoardFrame>();
        var otherFrames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);
        other.On<BoardFrame>(nameof(IControlRoomClient.Frame), otherFrames.Handler);
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        await other.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");

        // Its first fix is stamped tens of seconds ago and the limit here is 5 s: the courier is silent at once.
        await using var silent = await server.OnlineCourierAtAsync("ack-stale", 43.7250, 7.4100);
        var key = $"stale:{silent.Id:N}";
        var raised = await frames.NextAsync(f => f.Alerts?.Any(a => a.Key == key) == true, what: "frame with the stale-courier alert");
        var alert = Assert.Single(raised.Alerts!, a => a.Key == key);
        Assert.Equal(AlertKind.StaleCourier, alert.Kind);
        Assert.Equal(silent.Id, alert.CourierId);
        Assert.Contains(silent.Name, alert.Title, StringComparison.Ordinal);
        await otherFrames.NextAsync(f => f.Alerts?.Any(a => a.Key == key) == true, what: "the alert on the second board");

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key }, "courier")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key }, "merchant")).StatusCode);
        var unknown = await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key = "late:nothing" }, "dispatcher");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key = "" }, "dispatcher")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/api/zones/atlantis/alerts/acknowledge", new { key }, "dispatcher")).StatusCode);
        var still = await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        Assert.Contains(still.Alerts!, a => a.Key == key);

        var response = await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key }, "dispatcher", subject: "d-ack");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal("dispatcher:d-ack", recorded.GetProperty("by").GetString());
        // Kept in PostgreSQL's audit log, one row: who, in which role, from where.
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where action = 'alert.acknowledge' and target = $1 and actor = 'd-ack' and role = 'dispatcher' and address is not null", $"alert:monaco:{key}"));

        await frames.NextAsync(f => f.Alerts is { } list && list.All(a => a.Key != key), what: "frame without the acknowledged alert");
        await otherFrames.NextAsync(f => f.Alerts is { } list && list.All(a => a.Key != key), what: "the second board dropping it too");
        var again = await PostAsync("/api/zones/monaco/alerts/acknowledge", new { key }, "dispatcher");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already acknowledged by dispatcher:d-ack", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The courier is still silent, but a board opening now does not list what was acknowledged.
        await using var fresh = await ConnectAsync("dispatcher");
        var snapshot = await fresh.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        Assert.DoesNotContain(snapshot.Alerts!, a => a.Key == key);
    }

    [Fact]
    public async Task Orders_are_found_by_number_id_phone_and_date_range_and_bad_searches_say_why()
    {
        server.RequireServices();
        var phone = $"+33 6 {Random.Shared.Next(10, 99)} {Random.Shared.Next(10, 99)} {Random.Shared.Next(10, 99)} {Random.Shared.Next(10, 99)}";
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(phone: phone));
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);

        var byNumber = await SearchAsync($"q={order.Number}");
        Assert.Equal(order.Id, Assert.Single(byNumber).GetProperty("id").GetGuid());
        var byBareNumber = await SearchAsync($"q={long.Parse(order.Number[2..], System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.Equal(order.Id, Assert.Single(byBareNumber).GetProperty("id").GetGuid());
        Assert.Equal(order.Id, Assert.Single(await SearchAsync($"q={order.Id}")).GetProperty("id").GetGuid());

        // The full number with country code, or its national part; shown masked.
        var byPhone = Assert.Single(await SearchAsync($"phone={Uri.EscapeDataString(phone)}"));
        Assert.Equal(order.Id, byPhone.GetProperty("id").GetGuid());
        Assert.Equal(PhoneMask.Mask(phone), byPhone.GetProperty("customerPhoneMasked").GetString());
        Assert.DoesNotContain(digits[3..^4], byPhone.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(order.Id, Assert.Single(await SearchAsync($"phone=0{digits[2..]}")).GetProperty("id").GetGuid());

        var now = DateTimeOffset.UtcNow;
        var inRange = await SearchAsync($"from={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(now.AddHours(1).ToString("O"))}&limit=200");
        Assert.Contains(inRange, h => h.GetProperty("id").GetGuid() == order.Id);
        Assert.Empty(await SearchAsync($"from={now.AddDays(1):yyyy-MM-dd}&to={now.AddDays(2):yyyy-MM-dd}"));
        Assert.Empty(await SearchAsync($"q={order.Number}&status=delivered"));

        await AssertBadSearchAsync("", "q");
        await AssertBadSearchAsync("q=pizza", "q");
        await AssertBadSearchAsync("phone=12", "phone");
        await AssertBadSearchAsync("from=yesterday", "from");
        await AssertBadSearchAsync("from=2026-11-02&to=2026-11-01", "to");
        await AssertBadSearchAsync("q=1&status=lost", "status");
        await AssertBadSearchAsync("q=1&limit=0", "limit");
        using var asCourier = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/search?q={order.Number}");
        asCourier.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("courier", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Http.SendAsync(asCourier)).StatusCode);
    }

    private async Task<List<JsonElement>> SearchAsync(string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/search?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "dispatcher-1"));
        var response = await server.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"search {query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray()];
    }

    private async Task AssertBadSearchAsync(string query, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/search?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "dispatcher-1"));
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"search {query}: expected an error on {field}, got {problem}");
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body, string role, string? subject = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: DispatchServer.Json) };
        var sub = subject ?? (role == "courier" ? Guid.NewGuid().ToString() : $"{role}-1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, sub));
        return await server.Http.SendAsync(request);
    }

    private async Task<HubConnection> ConnectAsync(string role)
    {
        var token = await server.TokenAsync(role, $"{role}-1");
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
