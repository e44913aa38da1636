using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Server.Accounts;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The whole path in the Production environment, as an operator and their users would take it, with no /dev route:
/// the first admin from the create-admin verb, a merchant and its API key, a courier registered and approved, a signed
/// order, the payment callback, the offer, accept and delivery, and the audit rows all that leaves.
/// </summary>
public sealed class ProductionJourneyTests(ProductionServer server) : IClassFixture<ProductionServer>
{
    private const string RootPassword = "root password for production";

    private async Task<HttpResponseMessage> BearerAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    private async Task<string> AccessTokenAsync(string username, string password = Accounts.Password) =>
        (await server.SessionAsync(username, password)).GetProperty("accessToken").GetString()!;

    [Fact]
    public async Task First_admin_merchant_key_approved_courier_signed_order_payment_and_delivery_with_their_audit_rows()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.PostAsJsonAsync("/dev/token", new { role = "admin", subject = "x" })).StatusCode);

        // The first admin, as the operator makes it on the server's machine.
        var config = server.Services.GetRequiredService<IConfiguration>();
        using (var output = new StringWriter())
        {
            var code = await AccountCommands.RunAsync(["create-admin", "root", "--environment", "Production",
                $"--ConnectionStrings:Postgres={config["ConnectionStrings:Postgres"]}", $"--ConnectionStrings:Redis={config["ConnectionStrings:Redis"]}"],
                new StringReader(RootPassword + "\n"), true, output);
            Assert.True(code == 0, output.ToString());
        }
        var admin = await AccessTokenAsync("root", RootPassword);

        // A merchant user, who signs in and makes an API key for their shop's till.
        await OkJsonAsync(await BearerAsync(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "prod.shop", role = "merchant", organisation = "shop-prod", password = Accounts.Password }));
        var merchant = await AccessTokenAsync("prod.shop");
        var key = await OkJsonAsync(await BearerAsync(HttpMethod.Post, "/api/merchant/keys", merchant, new { name = "till" }));
        var (keyId, secret) = (key.GetProperty("keyId").GetString()!, key.GetProperty("secret").GetString()!);

        // A courier registers, waits, and is approved with the cold box the admin saw.
        var courierId = await server.RegisterCourierAsync("prod.courier", Equipment.InsulatedBox);
        await using var courier = await server.ConnectAsAsync("prod.courier", courierId);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => courier.GoOnlineAsync());
        await OkJsonAsync(await BearerAsync(HttpMethod.Post, $"/api/admin/couriers/{courierId}/approve", admin, new { verifiedEquipment = "insulatedBox", capacity = 2 }));
        var session = await courier.GoOnlineAsync(Equipment.InsulatedBox, capacity: 2);
        Assert.Equal(Equipment.InsulatedBox, session.Equipment);
        Assert.Equal(1, (await courier.MoveToAsync(DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001)).Accepted);
        await server.WaitInGeoSetAsync(courierId, DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001);

        // The till signs the order; the payment provider calls back; the courier is offered it, accepts and delivers.
        var created = await server.Http.SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", DispatchServer.OrderBody(kind: "frozen"), keyId, secret));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = (await created.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!;
        Assert.True((await server.PayAsync(order.Id)).IsSuccessStatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "the signed order's offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, (await courier.DeliverAtDropoffAsync(order)).Status);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and merchant_id = 'shop-prod' and status = $2", order.Id, (int)OrderStatus.Delivered));

        // What the admin finds in the audit log: who did each step, in which role, newest first.
        var audit = await OkJsonAsync(await BearerAsync(HttpMethod.Get, "/api/admin/audit?limit=50", admin));
        var rows = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString()!, Actor: e.GetProperty("actor").GetString()!, Role: e.GetProperty("role").GetString()!, Target: e.GetProperty("target").GetString()!))
            .Reverse().ToArray();
        Assert.Equal(
            [
                ("account.create", "create-admin", "system", "account:root"),
                ("account.create", "root", "admin", "account:prod.shop"),
                ("merchant-key.create", "shop-prod", "merchant", $"merchant-key:{keyId}"),
                ("courier.register", "prod.courier", "courier", $"courier:{courierId}"),
                ("courier.approve", "root", "admin", $"courier:{courierId}"),
            ],
            rows);
    }
}
