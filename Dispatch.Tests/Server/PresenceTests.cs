using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Contracts;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>Couriers who go offline, or fall silent past the stale limit, leave the zone's geo set.</summary>
public sealed class PresenceTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Going_offline_leaves_the_geo_set_at_once()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("pr-off", 43.7380, 7.4260);
        await courier.Connection.InvokeAsync(nameof(ICourierHub.GoOffline));
        Assert.Null(await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(courier.Id)));
        Assert.Null(await server.Redis.SortedSetScoreAsync(server.Keys.ZoneLastSeen("monaco"), FleetKeys.Member(courier.Id)));
    }

    [Fact]
    public async Task A_silent_courier_is_swept_out_and_a_fresh_one_stays()
    {
        server.RequireServices();
        await using var fresh = await server.OnlineCourierAtAsync("pr-fresh", 43.7385, 7.4265);
        await using var silent = await server.OnlineCourierAtAsync("pr-silent", 43.7386, 7.4266);
        // Make the silent courier's last fix older than the limit (90 s) as if it had stopped reporting.
        await server.Redis.SortedSetAddAsync(server.Keys.ZoneLastSeen("monaco"), FleetKeys.Member(silent.Id), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());

        var removed = await server.Services.GetRequiredService<PresenceSweepService>().SweepAsync(CancellationToken.None);
        Assert.True(removed >= 1);
        Assert.Null(await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(silent.Id)));
        Assert.NotNull(await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(fresh.Id)));
    }

    [Fact]
    public async Task The_json_protocol_works_too()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await using var json = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.Tracking))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        await json.StartAsync();
        var snapshot = await json.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.Equal(order.Number, snapshot.OrderNumber);
    }
}
