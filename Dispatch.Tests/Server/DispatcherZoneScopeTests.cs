using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A dispatcher account given one zone can neither see nor act on another: board, order detail, search, assign, move all,
/// fail, cancel, refund, alert acknowledgement, the strategy, "why this courier" and number lookup are refused, and nothing changes; in their own zone all work.
/// </summary>
public sealed class DispatcherZoneScopeTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Nice = "POLYGON((7.25 43.69, 7.29 43.69, 7.29 43.71, 7.25 43.71, 7.25 43.69))";
    private static readonly string[] NiceOnly = ["nice"];
    private static readonly string[] MonacoOnly = ["monaco"];

    [Fact]
    public async Task A_dispatcher_given_another_zone_cannot_see_or_act_on_monaco()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = Nice })).StatusCode);
        await server.CreateAsync("d.nice", "dispatcher", new { zones = NiceOnly });
        await server.CreateAsync("d.monaco", "dispatcher", new { zones = MonacoOnly });
        var nice = (await server.SessionAsync("d.nice")).GetProperty("accessToken").GetString()!;
        var monaco = (await server.SessionAsync("d.monaco")).GetProperty("accessToken").GetString()!;

        await using var courier = await server.OnlineCourierAtAsync("scope", 43.7395, 7.4275);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        var before = await server.ScalarAsync("select version from orders where id = $1", order.Id);

        // The board of another zone.
        await using (var board = await BoardAsync(nice))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco"));
            Assert.Contains("not given zone 'monaco'", refused.Message, StringComparison.Ordinal);
            await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "nice");
        }

        // Reading: the order does not exist for them, and search finds nothing of monaco.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Get, $"/api/orders/{order.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Get, $"/api/orders/{order.Id}/route")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Get, $"/api/orders/{order.Id}/payments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Get, $"/api/orders/{order.Id}/dispatch")).StatusCode);
        var lookedUp = await (await SendAsync(nice, HttpMethod.Post, "/api/orders/lookup", new { numbers = new[] { order.Number } })).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal(0, lookedUp.GetProperty("orders").GetArrayLength());
        Assert.Equal(order.Number, lookedUp.GetProperty("missing")[0].GetString());
        var hits = await (await SendAsync(nice, HttpMethod.Get, $"/api/orders/search?q={order.Id}")).Content.ReadFromJsonAsync<object[]>(DispatchServer.Json);
        Assert.Empty(hits!);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(nice, HttpMethod.Get, "/api/zones/monaco/strategy")).StatusCode);

        // Acting: each refused, and the order is as it was.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Post, $"/api/orders/{order.Id}/assign", new { courierId = courier.Id, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Post, $"/api/orders/{order.Id}/cancel", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Post, $"/api/orders/{order.Id}/unlock-pin", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(nice, HttpMethod.Post, $"/api/orders/{order.Id}/refunds", new { reason = "x" })).StatusCode);
        var moveAll = await SendAsync(nice, HttpMethod.Post, $"/api/couriers/{courier.Id}/reassign", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, moveAll.StatusCode);
        Assert.Contains("zone 'monaco'", (await moveAll.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var ack = await SendAsync(nice, HttpMethod.Post, "/api/zones/monaco/alerts/acknowledge", new { key = "late:nothing" });
        Assert.Equal(HttpStatusCode.Forbidden, ack.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(nice, HttpMethod.Put, "/api/zones/monaco/strategy", new { strategy = "broadcast" })).StatusCode);
        Assert.Equal(before, await server.ScalarAsync("select version from orders where id = $1", order.Id));
        Assert.Equal((long)OrderStatus.Accepted, await server.ScalarAsync("select status from orders where id = $1", order.Id));

        // The dispatcher given monaco sees and acts there.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(monaco, HttpMethod.Get, $"/api/orders/{order.Id}")).StatusCode);
        Assert.Single((await (await SendAsync(monaco, HttpMethod.Get, $"/api/orders/search?q={order.Id}")).Content.ReadFromJsonAsync<object[]>(DispatchServer.Json))!);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(monaco, HttpMethod.Get, $"/api/orders/{order.Id}/dispatch")).StatusCode);
        var mine = await (await SendAsync(monaco, HttpMethod.Post, "/api/orders/lookup", new { numbers = new[] { order.Number } })).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal(1, mine.GetProperty("orders").GetArrayLength());
        await using (var board = await BoardAsync(monaco))
        {
            await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(monaco, HttpMethod.Post, $"/api/orders/{order.Id}/cancel", new { reason = "in my zone" })).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }

    private async Task<HubConnection> BoardAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
