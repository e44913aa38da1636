using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Core.Zones;
using Dispatch.Server;
using Dispatch.Server.Ledger;
using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Server;

/// <summary>
/// Settlement per zone time zone on the real server and PostgreSQL: a courier earns in a Tokyo zone and a New York zone on
/// the same UTC afternoon; each zone's day closes at its own midnight, and the courier's days are cut in each zone's time zone.
/// </summary>
public sealed class SettlementTimeZoneTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Tokyo = "POLYGON((139.70 35.65, 139.80 35.65, 139.80 35.72, 139.70 35.72, 139.70 35.65))";
    private const string NewYork = "POLYGON((-74.02 40.70, -73.95 40.70, -73.95 40.80, -74.02 40.80, -74.02 40.70))";

    [Fact]
    public async Task A_courier_working_in_two_zones_has_each_day_closed_at_that_zones_midnight()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/tz_tokyo", "admin", new { boundary = Tokyo, timeZone = "Asia/Tokyo" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/tz_newyork", "admin", new { boundary = NewYork, timeZone = "America/New_York" })).StatusCode);
        var zones = await server.Http.GetFromJsonAsync<JsonElement[]>("/api/zones", DispatchServer.Json);
        Assert.Equal("Asia/Tokyo", zones!.Single(z => z.GetProperty("name").GetString() == "tz_tokyo").GetProperty("timeZone").GetString());
        Assert.Equal("Europe/Monaco", zones!.Single(z => z.GetProperty("name").GetString() == "monaco").GetProperty("timeZone").GetString());

        // Deliveries booked as DeliveryCoordinator books them, with each zone's time zone: 14:30 and 15:30 UTC on 10 November
        // are 23:30 on the 10th and 00:30 on the 11th in Tokyo, 09:30 and 10:30 on the 10th in New York.
        var courier = (await server.FleetAsync("tz-two", 1))[0].CourierId;
        var map = server.Services.GetRequiredService<ZoneMap>();
        var at1 = At("2026-11-10T14:30Z");
        var at2 = At("2026-11-10T15:30Z");
        await DeliveredAsync(courier, 300, map.ByName("tz_tokyo")!.TimeZone!, at1);
        await DeliveredAsync(courier, 500, map.ByName("tz_tokyo")!.TimeZone!, at2);
        await DeliveredAsync(courier, 700, map.ByName("tz_newyork")!.TimeZone!, at1);
        await DeliveredAsync(courier, 1100, map.ByName("tz_newyork")!.TimeZone!, at2);

        // The courier's days are the zones' days: the 00:30 Tokyo delivery is on the 11th, everything else on the 10th.
        var view = await LedgerSteps.AsCourierAsync(server, courier, HttpMethod.Get, "/api/couriers/me/earnings?from=2026-11-09&to=2026-11-11");
        var days = (await view.Content.ReadFromJsonAsync<CourierEarningsView>(DispatchServer.Json))!.Days.ToDictionary(d => d.Start, d => d.EarnedCents);
        Assert.Equal((500L, 300L + 700 + 1100, 0L), (days[new DateOnly(2026, 11, 11)], days[new DateOnly(2026, 11, 10)], days[new DateOnly(2026, 11, 9)]));

        var tenth = new DateOnly(2026, 11, 10);
        // 00:05 on the 11th in Tokyo, 10:05 on the 10th in New York: only Tokyo's 10th is over.
        var tokyoMidnight = Settlement(At("2026-11-10T15:05Z"));
        Assert.Equal([new DateOnly(2026, 11, 9), tenth], tokyoMidnight.DueDays(At("2026-11-10T15:05Z")));
        var first = await tokyoMidnight.RunAsync(tenth, CancellationToken.None);
        Assert.Equal((1, 300L), (first.Settled, first.MovedCents));
        Assert.True(first.NotEndedTimeZones >= 1);
        Assert.Equal(new CourierBalance("EUR", 2300, 300, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);

        // 00:05 on the 11th in New York: its 10th closes; Tokyo's was closed before and its 11th is still open.
        var newYorkMidnight = Settlement(At("2026-11-11T05:05Z"));
        var second = await newYorkMidnight.RunAsync(tenth, CancellationToken.None);
        Assert.Equal((1, 1, 1800L), (second.Settled, second.AlreadySettled, second.MovedCents));
        Assert.Equal(new CourierBalance("EUR", 500, 2100, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);

        var third = await Settlement(At("2026-11-11T15:05Z")).RunAsync(tenth.AddDays(1), CancellationToken.None);
        Assert.Equal((1, 500L), (third.Settled, third.MovedCents));
        Assert.Equal(new CourierBalance("EUR", 0, 2600, 0), (await LedgerSteps.EarningsAsync(server, courier)).Balance);
        Assert.Equal(3, await server.ScalarAsync("select count(*) from ledger_transactions where courier_id = $1 and kind = 'settlement'", courier));
        Assert.Equal(0, (await LedgerSteps.TotalsAsync(server)).Accounts.Sum(a => a.Balance));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("")]
    public async Task A_zone_with_an_unknown_time_zone_is_refused_naming_the_field_and_changes_nothing(string timeZone)
    {
        server.RequireServices();
        var before = await server.ScalarAsync("select count(*) from zones");
        var response = await server.CallAsync(HttpMethod.Put, "/api/zones/tz_bad", "admin", new { boundary = NewYork.Replace("40.7", "41.7", StringComparison.Ordinal), timeZone });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _), problem.ToString());
        Assert.Equal(before, await server.ScalarAsync("select count(*) from zones"));
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private DailySettlement Settlement(DateTimeOffset now) => new(
        server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>(), new LaterClock(now - DateTimeOffset.UtcNow),
        server.Services.GetRequiredService<IOptions<DispatchOptions>>(), NullLogger<DailySettlement>.Instance, server.Services.GetRequiredService<ZoneMap>());

    private async Task DeliveredAsync(Guid courier, int fee, string timeZone, DateTimeOffset at)
    {
        var posting = LedgerRules.Delivery(new DeliveredOrder(Guid.CreateVersion7(), courier, fee, false, false, 0, "EUR", 0, "EUR"), new Surcharges(0, 0))!;
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        Assert.True(await LedgerWriter.PostAsync(db, posting with { TimeZone = timeZone }, "test", at, CancellationToken.None));
        await tx.CommitAsync();
    }
}
