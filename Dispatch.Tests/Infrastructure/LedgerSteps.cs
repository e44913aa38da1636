using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dispatch.Core.Contracts;
using Dispatch.Server;
using Dispatch.Server.Ledger;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Ledger helpers for tests: settle today as tomorrow's job would, call the API as a given courier, read balances and totals.</summary>
internal static class LedgerSteps
{
    /// <summary>The settlement service with a clock a day ahead, so today (local) is over.</summary>
    public static DailySettlement TomorrowsSettlement(DispatchServer server) => new(
        server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>(), new LaterClock(TimeSpan.FromDays(1)),
        server.Services.GetRequiredService<IOptions<DispatchOptions>>(), NullLogger<DailySettlement>.Instance);

    /// <summary>Today in the earnings time zone.</summary>
    public static DateOnly Today(DispatchServer server)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(server.Services.GetRequiredService<IOptions<DispatchOptions>>().Value.EarningsTimeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date);
    }

    /// <summary>Settles yesterday and today (a test may straddle midnight) as tomorrow's job would.</summary>
    public static async Task<SettlementResult> SettleTodayAsync(DispatchServer server)
    {
        var settlement = TomorrowsSettlement(server);
        var today = Today(server);
        await settlement.RunAsync(today.AddDays(-1), CancellationToken.None);
        return await settlement.RunAsync(today, CancellationToken.None);
    }

    public static async Task<HttpResponseMessage> AsCourierAsync(DispatchServer server, Guid courierId, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("courier", courierId.ToString()));
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }

    public static async Task<CourierEarningsView> EarningsAsync(DispatchServer server, Guid courierId)
    {
        var response = await AsCourierAsync(server, courierId, HttpMethod.Get, "/api/couriers/me/earnings");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CourierEarningsView>(DispatchServer.Json))!;
    }

    public static async Task<LedgerTotals> TotalsAsync(DispatchServer server)
    {
        var response = await server.CallAsync(HttpMethod.Get, "/api/admin/ledger/accounts", "admin");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LedgerTotals>(DispatchServer.Json))!;
    }

    public static async Task<HttpResponseMessage> AdjustAsync(DispatchServer server, Guid courierId, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/couriers/{courierId}/adjustments") { Content = JsonContent.Create(body, options: DispatchServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("admin", "admin-1"));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await server.Http.SendAsync(request);
    }
}
