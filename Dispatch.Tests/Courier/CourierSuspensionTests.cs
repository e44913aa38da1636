extern alias CourierApp;

using System.Net;
using CourierApp::Dispatch.Courier.Client;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Courier;

/// <summary>
/// The runner app's client (and so the simulator's fleet) when an admin suspends its courier: the server's SessionEnded is
/// reported once and the connection stays closed, instead of reconnecting to be refused again and again.
/// </summary>
public sealed class CourierSuspensionTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_suspended_courier_connection_reports_the_end_and_does_not_reconnect()
    {
        server.RequireServices();
        var id = await server.RegisterCourierAsync("sim.suspended");
        await server.ApproveAsync(id, Equipment.None, capacity: 1);
        var token = (await server.SessionAsync("sim.suspended")).GetProperty("accessToken").GetString()!;
        await using var connection = new CourierConnection(server.BaseUrl, token);
        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var states = new Inbox<HubConnectionState>();
        connection.SessionEnded += (_, reason) => ended.TrySetResult(reason);
        connection.StateChanged += (_, state) => states.Add(state);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        await connection.GoOnlineAsync(new GoOnlineRequest(Equipment.None, Vehicle.Scooter, 1), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, (await server.ReviewAsync(id, "suspend", new { reason = "Documents expired." })).StatusCode);

        var reason = await ended.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Contains("suspended", reason, StringComparison.Ordinal);
        // The old client went Reconnecting and then Connected again here; this one closes for good.
        await states.NextAsync(s => s == HubConnectionState.Disconnected, TimeSpan.FromSeconds(20), "the connection closed for good");
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        Assert.False(connection.IsOnline);
        Assert.Equal(reason, connection.EndedReason);
        Assert.DoesNotContain(states.Drain(), s => s == HubConnectionState.Connected);
    }
}
