using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>The control-room feed: a dispatcher's board gets the zone's couriers, then batched frames as they move.</summary>
public sealed class ControlRoomTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_board_sees_every_courier_then_frames_as_they_move()
    {
        server.RequireServices();
        await using var already = await server.OnlineCourierAtAsync("board-a", 43.7380, 7.4250);
        await using var board = await ConnectAsync("dispatcher");
        var frames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);

        var first = await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        var seen = Assert.Single(first.Couriers, c => c.CourierId == already.Id);
        Assert.Equal(43.7380, seen.Lat, 5);
        Assert.Equal(CourierActivity.Idle, seen.Activity);

        await using var mover = await server.OnlineCourierAtAsync("board-b", 43.7360, 7.4230);
        await mover.MoveToAsync(43.7362, 7.4232);
        var frame = await frames.NextAsync(f => f.Couriers.Any(c => c.CourierId == mover.Id && Math.Abs(c.Lat - 43.7362) < 1e-6), what: "frame with the moved courier");
        Assert.Equal("monaco", frame.Zone);
        Assert.Single(frame.Couriers, c => c.CourierId == mover.Id); // coalesced: once per frame
    }

    [Fact]
    public async Task Couriers_and_unknown_zones_are_refused()
    {
        server.RequireServices();
        await using var board = await ConnectAsync("dispatcher");
        var unknown = await Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "atlantis"));
        Assert.Contains("not served", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("courier"));
    }

    private async Task<HubConnection> ConnectAsync(string role)
    {
        var token = await server.TokenAsync(role, $"{role}-1");
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
