using System.IdentityModel.Tokens.Jwt;
using System.Net;
using Dispatch.Core.Contracts;
using Dispatch.Server.Auth;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Signed-in hub connections end when their token does: a courier's and a dispatcher's connection with a token that
/// expires in a few seconds work until then, are closed by the server after it, and the same token cannot connect again.
/// </summary>
public sealed class SessionExpiryTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_courier_connection_is_closed_when_its_token_expires_and_the_token_cannot_reconnect()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("expiring", 1))[0];
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue(member.CourierId.ToString(), Roles.Courier, member.Name, Lifetime);
        var expires = new DateTimeOffset(new JwtSecurityToken(token).ValidTo, TimeSpan.Zero);
        await using var courier = await server.ConnectCourierAsync(member with { Token = token });
        var closed = Closed(courier.Connection);

        await courier.GoOnlineAsync();
        Assert.Equal(1, (await courier.MoveToAsync(43.7300, 7.4180)).Accepted);

        var closedAt = await closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(closedAt >= expires.AddMilliseconds(-500), $"closed at {closedAt:O}, before the token expired at {expires:O}");
        Assert.Equal(HubConnectionState.Disconnected, courier.Connection.State);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => courier.Connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task A_board_connection_is_closed_when_its_token_expires_and_the_token_cannot_reconnect()
    {
        server.RequireServices();
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue("d-expiring", Roles.Dispatcher, lifetime: Lifetime);
        var expires = new DateTimeOffset(new JwtSecurityToken(token).ValidTo, TimeSpan.Zero);
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol()
            .Build();
        var closed = Closed(board);
        await board.StartAsync();
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");

        var closedAt = await closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(closedAt >= expires.AddMilliseconds(-500), $"closed at {closedAt:O}, before the token expired at {expires:O}");
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => board.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    /// <summary>When the connection closes (the client does not reconnect by itself here).</summary>
    private static Task<DateTimeOffset> Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult(DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
