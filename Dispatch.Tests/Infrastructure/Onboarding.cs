using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Couriers registered through /api/couriers/register and reviewed through /api/admin/couriers (a development admin token).</summary>
public static class Onboarding
{
    public static object Form(string username, Equipment equipment = Equipment.None, string phone = "+377 6 40 11 22 33") => new
    {
        username,
        password = Accounts.Password,
        name = "Rita " + username,
        phone,
        vehicle = "scooter",
        equipment = JsonNamingPolicy.CamelCase.ConvertName(equipment.ToString()),
        documents = equipment == Equipment.None
            ? new[] { new { kind = "licence", reference = "MC-123456" } }
            : [new { kind = "licence", reference = "MC-123456" }, new { kind = "cold-box-certificate", reference = "CB-2026-77" }],
    };

    public static Task<HttpResponseMessage> RegisterAsync(this DispatchServer server, object form) =>
        server.Http.PostAsJsonAsync("/api/couriers/register", form, DispatchServer.Json);

    /// <summary>Registers a courier and returns their id; fails the test when refused.</summary>
    public static async Task<Guid> RegisterCourierAsync(this DispatchServer server, string username, Equipment equipment = Equipment.None)
    {
        var response = await server.RegisterAsync(Form(username, equipment));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("courierId").GetGuid();
    }

    public static Task<HttpResponseMessage> ReviewAsync(this DispatchServer server, Guid courierId, string action, object? body = null, string role = "admin") =>
        server.CallAsync(HttpMethod.Post, $"/api/admin/couriers/{courierId}/{action}", role, body ?? new { });

    public static async Task ApproveAsync(this DispatchServer server, Guid courierId, Equipment verified, int capacity)
    {
        var response = await server.ReviewAsync(courierId, "approve", new { verifiedEquipment = JsonNamingPolicy.CamelCase.ConvertName(verified.ToString()), capacity });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in as the courier's account and connects to the courier hub with its access token (not yet online).</summary>
    public static async Task<TestCourier> ConnectAsAsync(this DispatchServer server, string username, Guid courierId)
    {
        var token = (await server.SessionAsync(username)).GetProperty("accessToken").GetString()!;
        return await server.ConnectCourierAsync(new DispatchServer.FleetMember(courierId, username, token));
    }
}
