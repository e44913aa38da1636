using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Alerts;
using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The hand-over at the drop-off on the real server and PostgreSQL: wrong PINs are counted in the order's row and lock PIN
/// entry at 5 (even concurrent tries cannot compare a 6th), the board raises an alert, a dispatcher unlocks with a reason;
/// delivery far from the drop-off is refused unless a dispatcher allows it. Each test works at its own spot of Monaco.
/// </summary>
public sealed class HandOverTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string LockedMessage = "PIN entry is locked after 5 wrong tries; call the dispatcher to unlock";

    /// <summary>470 m of latitude, degrees.</summary>
    private const double Lat470Metres = 470 / 111_195.0;

    [Fact]
    public async Task Five_wrong_pins_lock_pin_entry_until_a_dispatcher_unlocks_it_with_a_reason()
    {
        server.RequireServices();
        await using var board = await ConnectBoardAsync();
        var frames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        var (courier, order) = await CarryingAsync("pin-lock", 43.7330, 7.4150, 43.7335, 7.4160);
        await using var carrier = courier;
        await courier.MoveToAsync(43.7335, 7.4160);
        var wrong = order.Pin == "0000" ? "1111" : "0000";

        for (var i = 1; i <= 5; i++)
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, wrong));
            Assert.Contains("Wrong PIN", refused.Message, StringComparison.Ordinal);
            if (i < 5) Assert.Contains($"{5 - i} tr", refused.Message, StringComparison.Ordinal);
            else Assert.Contains(LockedMessage, refused.Message, StringComparison.Ordinal);
        }
        var locked = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.EndsWith(LockedMessage, locked.Message, StringComparison.Ordinal); // the client prefixes the method name
        Assert.Equal(5, await server.ScalarAsync("select pin_tries from orders where id = $1", order.Id));
        Assert.Equal((long)OrderStatus.PickedUp, await server.ScalarAsync("select status from orders where id = $1", order.Id));

        var key = $"pin-locked:{order.Id:N}";
        var raised = await frames.NextAsync(f => f.Alerts?.Any(a => a.Key == key) == true, what: "frame with the PIN-locked alert");
        var alert = Assert.Single(raised.Alerts!, a => a.Key == key);
        Assert.Equal(AlertKind.PinLocked, alert.Kind);
        Assert.Equal(courier.Id, alert.CourierId);

        var path = $"/api/orders/{order.Id}/unlock-pin";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, new { reason = "let me in" }, "courier", courier.Id.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, new { reason = "let me in" }, "merchant")).StatusCode);
        var noReason = await PostAsync(path, new { reason = " " }, "dispatcher");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(5, await server.ScalarAsync("select pin_tries from orders where id = $1", order.Id));

        var unlocked = await PostAsync(path, new { reason = "customer called, PIN read out again" }, "dispatcher", "d-pin");
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select pin_tries from orders where id = $1", order.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(path, new { reason = "again" }, "dispatcher")).StatusCode);
        await frames.NextAsync(f => f.Alerts is { } list && list.All(a => a.Key != key), what: "frame without the PIN-locked alert");
        // One audit row for the unlock; the refused attempts (no reason, nothing left to unlock) left none.
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where target = $1", $"order:{order.Id}"));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where target = $1 and action = 'order.unlock-pin' and actor = 'd-pin' and role = 'dispatcher'", $"order:{order.Id}"));

        Assert.Equal(OrderStatus.Delivered, (await courier.DeliveredAsync(order.Id, order.Pin!)).Status);
        var timeline = (await server.GetOrderAsync(order.Id)).Timeline;
        Assert.Contains(timeline, t => t.Actor == $"courier:{courier.Id:N}" && t.Note == "PIN entry locked after 5 wrong tries");
        var unlock = Assert.Single(timeline, t => t.Actor == "dispatcher:d-pin");
        Assert.Equal(OrderStatus.PickedUp, unlock.Status);
        Assert.Contains("customer called, PIN read out again", unlock.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_wrong_pins_cannot_compare_more_than_five()
    {
        server.RequireServices();
        var (courier, order) = await CarryingAsync("pin-race", 43.7420, 7.4300, 43.7425, 7.4305);
        await using var carrier = courier;
        await courier.MoveToAsync(43.7425, 7.4305);
        var delivery = server.Services.GetRequiredService<DeliveryCoordinator>();
        var guesses = Enumerable.Range(0, 12).Select(i => (i + 1).ToString("0000", System.Globalization.CultureInfo.InvariantCulture))
            .Where(p => p != order.Pin).Take(11).ToList();

        // Like callers on many nodes at once: every call goes straight to the coordinator, in parallel.
        var outcomes = await Task.WhenAll(guesses.Select(pin => Task.Run(() => delivery.DeliveredAsync(courier.Id, order.Id, pin, CancellationToken.None))));

        Assert.All(outcomes, o => Assert.False(o.Ok));
        Assert.Equal(5, outcomes.Count(o => o.Failure!.Detail.StartsWith("Wrong PIN", StringComparison.Ordinal)));
        Assert.Equal(guesses.Count - 5, outcomes.Count(o => o.Failure!.Detail == LockedMessage));
        Assert.Equal(5, await server.ScalarAsync("select pin_tries from orders where id = $1", order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note like 'PIN entry locked%'", order.Id));
        Assert.EndsWith(LockedMessage, (await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_470_m_from_the_dropoff_is_refused_with_nothing_changed_until_a_dispatcher_allows_it()
    {
        server.RequireServices();
        const double lat = 43.7380, lon = 7.4200;
        var (courier, order) = await CarryingAsync("pin-far", lat, lon, lat + Lat470Metres, lon);
        await using var carrier = courier;
        var before = await RowAsync(order.Id);

        var far = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, order.Pin!));
        Assert.Contains("You are 470 m from the drop-off", far.Message, StringComparison.Ordinal);
        Assert.Contains("within 150 m", far.Message, StringComparison.Ordinal);
        Assert.Equal(before, await RowAsync(order.Id));

        var path = $"/api/orders/{order.Id}/allow-any-place";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, new { reason = "trust me" }, "courier", courier.Id.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, new { reason = "trust me" }, "merchant")).StatusCode);
        Assert.Equal(before, await RowAsync(order.Id));

        var allowed = await PostAsync(path, new { reason = "customer meets the courier at the casino" }, "admin", "a-1");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(OrderStatus.Delivered, (await courier.DeliveredAsync(order.Id, order.Pin!)).Status);
        var allow = Assert.Single((await server.GetOrderAsync(order.Id)).Timeline, t => t.Actor == "admin:a-1");
        Assert.Contains("customer meets the courier at the casino", allow.Note, StringComparison.Ordinal);
    }

    /// <summary>
    /// What a refused delivery must leave as it was: status, version, tries, events (but the pre-arrival milestone, which the
    /// location flush may record at any moment: 470 m is inside the arriving distance by ETA).
    /// </summary>
    private async Task<(long Status, long Version, long Tries, long Events)> RowAsync(Guid orderId) => (
        await server.ScalarAsync("select status from orders where id = $1", orderId),
        await server.ScalarAsync("select version from orders where id = $1", orderId),
        await server.ScalarAsync("select pin_tries from orders where id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note is distinct from 'arriving'", orderId));

    /// <summary>A courier standing at the pickup with the goods of a fresh order to the given drop-off.</summary>
    private async Task<(TestCourier Courier, OrderView Order)> CarryingAsync(string handle, double lat, double lon, double dropLat, double dropLon)
    {
        var courier = await server.OnlineCourierAtAsync(handle, lat, lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: dropLat, dropoffLon: dropLon));
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        return (courier, order);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object body, string role, string? subject = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: DispatchServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, subject ?? $"{role}-1"));
        return await server.Http.SendAsync(request);
    }

    private async Task<HubConnection> ConnectBoardAsync()
    {
        var token = await server.TokenAsync("dispatcher", "dispatcher-1");
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
