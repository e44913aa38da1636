using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Dispatch.Tests.Server.Scheduling;

/// <summary>
/// Two nodes, each with its own Quartz scheduler, on one database: a job triggered every 200 ms runs once per firing,
/// whichever node takes it (Quartz's clustered ADO store, the qrtz_ tables of the SchedulingTables migration).
/// </summary>
public sealed class SchedulingClusterTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const int Firings = 25;

    [Fact]
    public async Task Two_schedulers_on_one_database_run_each_firing_once()
    {
        server.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        await using (var create = server.Db.CreateCommand(CountingJob.Table)) await create.ExecuteNonQueryAsync(ct);
        await using var second = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server));
        var schedulers = new[] { server.Services, second.Services };
        foreach (var services in schedulers)
        {
            var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            await Eventually.WaitForAsync(() => Task.FromResult(scheduler.Status), status => status == SchedulerStatus.Running, "each node's scheduler started", TimeSpan.FromSeconds(60));
        }
        // Both nodes are cluster members before the job exists, so either may take any firing.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from qrtz_scheduler_state"), n => n >= 2, "two nodes checked in");

        var first = await server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        var job = JobBuilder.Create<CountingJob>().WithIdentity("counting", "test").Build();
        var trigger = TriggerBuilder.Create().WithIdentity("counting", "test").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(200)).WithRepeatCount(Firings - 1)).Build();
        await first.ScheduleJob(job, trigger, cancellationToken: ct);

        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from test_fires"), n => n >= Firings, $"{Firings} firings recorded", TimeSpan.FromSeconds(60));
        // The trigger is done (deleted once it has no firing left) when the last firing has run.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from qrtz_triggers where trigger_name = 'counting'"), n => n == 0, "the trigger completed", TimeSpan.FromSeconds(30));
        Assert.Equal(Firings, await server.ScalarAsync("select count(*) from test_fires"));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from test_fires where runs <> 1"));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from qrtz_fired_triggers where trigger_name = 'counting'"));
    }

    [Fact]
    public async Task A_node_with_scheduling_disabled_serves_and_runs_no_jobs()
    {
        server.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        await using var off = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?> { ["Scheduling:Enabled"] = "false" }));
        Assert.Equal("\"ok\"", await off.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative), ct));
        var scheduler = await off.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        Assert.NotEqual(SchedulerStatus.Running, scheduler.Status);
    }
}
