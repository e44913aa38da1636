extern alias CourierApp;

using CourierApp::Dispatch.Courier.Client;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Server.Auth;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Courier;

/// <summary>
/// The runner app's client when the server closes its connection at token expiry: with a token provider it reconnects
/// with a fresh token and goes online again; with a fixed token it reports the refusal once instead of retrying in silence.
/// </summary>
public sealed class CourierConnectionExpiryTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_connection_closed_at_token_expiry_comes_back_online_with_a_fresh_token()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("renew", 1))[0];
        var issuer = server.Services.GetRequiredService<TokenIssuer>();
        var tokens = new Queue<string>([issuer.Issue(member.CourierId.ToString(), Roles.Courier, member.Name, Short)]);
        var asked = 0;
        await using var connection = new CourierConnection(server.BaseUrl, () =>
        {
            Interlocked.Increment(ref asked);
            return Task.FromResult<string?>(tokens.Count > 0 ? tokens.Dequeue() : member.Token);
        });
        var restored = new TaskCompletionSource<CourierSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.SessionRestored += (_, session) => restored.TrySetResult(session);

        await connection.StartAsync(TestContext.Current.CancellationToken);
        await connection.GoOnlineAsync(new GoOnlineRequest(Equipment.InsulatedBox, Vehicle.Scooter, 1), TestContext.Current.CancellationToken);

        var session = await restored.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(member.CourierId, session.CourierId);
        Assert.True(Volatile.Read(ref asked) >= 2, "the provider was asked again for the reconnect");
        Assert.True(connection.IsOnline);
    }

    [Fact]
    public async Task A_fixed_token_that_expired_is_reported_once_not_retried_in_silence()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("expire", 1))[0];
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue(member.CourierId.ToString(), Roles.Courier, member.Name, Short);
        await using var connection = new CourierConnection(server.BaseUrl, token);
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.TokenRefused += (_, message) => refused.TrySetResult(message);

        await connection.StartAsync(TestContext.Current.CancellationToken);
        var message = await refused.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains("fresh token", message, StringComparison.Ordinal);
        Assert.Equal(message, connection.LastError);
    }
}
