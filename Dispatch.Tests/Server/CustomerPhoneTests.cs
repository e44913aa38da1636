using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Customer phones are taken as international numbers (E.164 after normalising, France for national numbers by default).</summary>
public sealed class CustomerPhoneTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Theory]
    [InlineData("123456", "must start with +")] // 6 digits: taken before
    [InlineData("+123 456", "has 6 digits")]
    [InlineData("612 345 678", "must start with +")]
    [InlineData("+33 6 12 34 56 78 99 99 99", "has 17 digits")]
    [InlineData("06 12 34 56 78 x", "may hold only")]
    public async Task A_number_that_is_not_international_is_refused_naming_customerPhone_and_nothing_is_stored(string phone, string because)
    {
        server.RequireServices();
        var key = Guid.NewGuid().ToString();
        var response = await server.PostOrderAsync(DispatchServer.OrderBody(phone: phone), key, await server.MerchantTokenAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("customerPhone")[0].GetString();
        Assert.Contains(because, message, StringComparison.Ordinal);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders where idempotency_key = $1", key));
    }

    [Theory]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("0033 (6) 12.34.56.78", "+33612345678")]
    [InlineData("+377 93 15 26 00", "+37793152600")]
    public async Task A_written_number_is_stored_as_E164_and_shown_masked(string phone, string e164)
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(phone: phone));

        Assert.Equal(PhoneMask.Mask(e164), order.CustomerPhoneMasked);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/search?phone={Uri.EscapeDataString(e164)}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "d-1"));
        var hits = await (await server.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(hits.EnumerateArray(), h => h.GetProperty("id").GetGuid() == order.Id);
    }
}
