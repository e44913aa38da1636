extern alias CourierApp;

using CourierApp::Dispatch.Courier.Client;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Courier;

/// <summary>
/// The runner app's client library under the server's fix rate limit: a backlog larger than the connection's burst is
/// slowed, not lost; refused batches stay buffered and go out as the limit allows.
/// </summary>
public sealed class CourierRateLimitTests(RateLimitServer server) : IClassFixture<RateLimitServer>
{
    [Fact]
    public async Task A_backlog_over_the_fix_rate_limit_is_delivered_late_but_whole()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("lib-rl", 1))[0];
        await using var connection = new CourierConnection(server.BaseUrl, member.Token, new CourierConnectionOptions { MaxBatchSize = 50 });
        // Ten seconds' worth past the burst: the last 50 wait for the bucket to refill.
        const int backlog = RateLimitServer.FixBurst + (10 * RateLimitServer.FixesPerSecond);
        // Half a second apart: the oldest is under five minutes old, well inside the ten a fix may be.
        var start = DateTimeOffset.UtcNow.AddSeconds((-backlog / 2) - 5);
        for (var i = 0; i < backlog; i++) connection.Report(new LocationFix(start.AddSeconds(i / 2.0), 43.7380 + i * 0.00001, 7.4250, 5, 1, 0));

        await connection.StartAsync(TestContext.Current.CancellationToken);
        await connection.GoOnlineAsync(new GoOnlineRequest(Equipment.None, Vehicle.Bicycle, 1), TestContext.Current.CancellationToken);
        connection.Report(new LocationFix(DateTimeOffset.UtcNow, 43.7380 + backlog * 0.00001, 7.4250, 5, 1, 0));

        await Eventually.WaitForAsync(() => Task.FromResult(connection.FixesAccepted), n => n == backlog + 1,
            $"all {backlog + 1} fixes accepted (last error: {connection.LastError})", TimeSpan.FromSeconds(45));
        Assert.Equal(0, connection.FixesRejected);
    }
}
