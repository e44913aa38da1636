using System.Globalization;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Customer messages through the WeChatTemplate adapter to a real HTTP endpoint: openid, template id per kind, the tracking
/// link; an order without an openid, a kind without a template and an openid WeChat refuses are skipped with their reasons.
/// </summary>
public sealed class CustomerWeChatTests(WeChatNotificationServer server) : IClassFixture<WeChatNotificationServer>
{
    [Fact]
    public async Task A_template_message_goes_to_the_orders_openid_and_what_cannot_be_sent_is_skipped_with_a_reason()
    {
        server.RequireServices();
        var following = await CreateAsync("oFollowing_123");
        var blocked = await CreateAsync("oNotFollowing");
        var none = await CreateAsync(null);
        foreach (var order in new[] { following, blocked, none }) await OutboxEvents.MovedAsync(server, order.Id, Number(order), OrderStatus.Offered, OrderStatus.Accepted);
        await OutboxEvents.MovedAsync(server, following.Id, Number(following), OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp); // no template for PickedUp

        var sent = await server.Gateway.WeChat.NextAsync(w => w.Body.GetProperty("touser").GetString() == "oFollowing_123", what: "the template message");
        Assert.Equal(WeChatNotificationServer.AccessToken, sent.AccessToken);
        Assert.Equal(WeChatNotificationServer.CourierFoundTemplate, sent.Body.GetProperty("template_id").GetString());
        Assert.Equal($"{NotificationServer.PublicBase}/track/{following.TrackingToken}", sent.Body.GetProperty("url").GetString());
        Assert.Equal(following.Number, sent.Body.GetProperty("data").GetProperty("keyword1").GetProperty("value").GetString());

        await Eventually.WaitForAsync(() => Reasons(following.Id, blocked.Id, none.Id), r => r.Count == 4, "every message done");
        var reasons = await Reasons(following.Id, blocked.Id, none.Id);
        Assert.Equal("1:", reasons[$"{following.Id}:CourierFound"]);
        Assert.Equal("3:no WeChat template id for PickedUp (Notifications:WeChat:TemplateIds:PickedUp)", reasons[$"{following.Id}:PickedUp"]);
        Assert.Equal("3:WeChat refused the openid (errcode 43004)", reasons[$"{blocked.Id}:CourierFound"]);
        Assert.Equal("3:the order has no customerWeChatOpenId", reasons[$"{none.Id}:CourierFound"]);
    }

    /// <summary>"status:reason" of each finished message of the orders, by "order:kind".</summary>
    private async Task<Dictionary<string, string>> Reasons(params Guid[] orderIds)
    {
        await using var command = server.Db.CreateCommand("select order_id, kind, status, coalesce(reason, '') from customer_notifications where order_id = any($1) and status <> 0");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = orderIds });
        await using var reader = await command.ExecuteReaderAsync();
        var found = new Dictionary<string, string>();
        while (await reader.ReadAsync()) found[$"{reader.GetGuid(0)}:{reader.GetString(1)}"] = $"{reader.GetInt32(2)}:{reader.GetString(3)}";
        return found;
    }

    private static long Number(OrderView order) => long.Parse(order.Number[2..], CultureInfo.InvariantCulture);

    private async Task<OrderView> CreateAsync(string? openId)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(DispatchServer.OrderBody(), DispatchServer.Json), DispatchServer.Json)!;
        if (openId is not null) body["customerWeChatOpenId"] = openId;
        return await server.CreateOrderAsync(body);
    }
}
