using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Server.Notifications.Customers;

namespace Dispatch.Tests.Infrastructure;

/// <summary>The customer app's calls, as the ordering page makes them: codes, sign-in, quotes, orders.</summary>
public static partial class CustomerApp
{
    private static readonly string[] Keys = ["keys"];

    public static Task<HttpResponseMessage> AskCodeAsync(this DispatchServer server, string phone) =>
        server.Http.PostAsJsonAsync("/api/customers/codes", new { phone }, DispatchServer.Json);

    /// <summary>The code in the last sign-in message the Log adapter wrote to this number.</summary>
    public static string LastCode(this CustomerServer server, string phone) => LastCode(server.Log, phone);

    /// <summary>The code in the last sign-in message to this number among these log lines.</summary>
    public static string LastCode(LogLines log, string phone)
    {
        Assert.True(Dispatch.Core.Orders.PhoneNumbers.TryNormalize(phone, 33, out var e164, out _));
        var line = log.Lines.Last(l => l.Contains("(SignInCode) to " + ContactMask.Phone(e164) + " ", StringComparison.Ordinal));
        return Code().Match(line).Groups[1].Value;
    }

    public static Task<HttpResponseMessage> CodeSignInAsync(this DispatchServer server, string phone, string code) =>
        server.Http.PostAsJsonAsync("/api/customers/sign-in", new { phone, code }, DispatchServer.Json);

    /// <summary>Asks for a code, reads it from the log and signs in: the customer's access token.</summary>
    public static async Task<string> CustomerTokenAsync(this CustomerServer server, string phone)
    {
        var asked = await server.AskCodeAsync(phone);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var response = await server.CodeSignInAsync(phone, server.LastCode(phone));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("accessToken").GetString()!;
    }

    public static async Task<HttpResponseMessage> AsCustomerAsync(this DispatchServer server, string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }

    public static object Trip(string serviceId = "parcel", object[]? stops = null) => new
    {
        serviceId,
        pickup = new { lat = DispatchServer.CasinoLat, lon = DispatchServer.CasinoLon, address = "Place du Casino" },
        dropoff = new { lat = DispatchServer.FontvieilleLat, lon = DispatchServer.FontvieilleLon, address = "Fontvieille harbour" },
        stops,
    };

    public static async Task<JsonElement> QuoteAsync(this DispatchServer server, string token, object? trip = null)
    {
        var response = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/quotes", trip ?? Trip());
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    /// <summary>Quotes a parcel from the casino to Fontvieille and orders it: the order as the customer sees it.</summary>
    public static async Task<JsonElement> PlaceParcelAsync(this DispatchServer server, string token)
    {
        var quote = await server.QuoteAsync(token);
        var response = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders",
            new { quoteId = quote.GetProperty("id").GetGuid(), contactName = "Claire", items = Keys });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    [GeneratedRegex(@"code is (\d+)\.")]
    private static partial Regex Code();
}
