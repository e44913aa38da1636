using Dispatch.Server;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>The outbox table is kept operable: processed rows go after their keeping time, and a growing lag is measured and logged.</summary>
public sealed class OutboxUpkeepTests(OutboxServer server) : IClassFixture<OutboxServer>
{
    [Fact]
    public async Task Processed_rows_past_their_keeping_time_are_deleted_and_the_rest_stay()
    {
        server.RequireServices();
        await server.ScalarAsync("""
            insert into outbox (event_id, kind, created_at, payload, processed_at)
            select gen_random_uuid(), 'test.old', now() - interval '49 hours', '{}'::jsonb, now() - interval '48 hours' from generate_series(1, 35)
            union all
            select gen_random_uuid(), 'test.recent', now() - interval '2 hours', '{}'::jsonb, now() - interval '1 hour' from generate_series(1, 3)
            """);

        // 35 rows at 10 a statement: the purge goes on until a statement deletes fewer than a batch.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where kind = 'test.old'"), n => n == 0, "the old processed rows purged");
        Assert.Equal(3, await server.ScalarAsync("select count(*) from outbox where kind = 'test.recent'"));
    }

    [Fact]
    public async Task A_lag_past_the_threshold_is_measured_logged_and_its_end_too()
    {
        server.RequireServices();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = Guid.Empty;
        server.Consumer.Before = async (events, ct) =>
        {
            if (events.Any(e => e.EventId == target)) await release.Task.WaitAsync(ct);
        };
        try
        {
            var record = Dispatch.Server.Outbox.OutboxWriter.Create(OutboxSteps.Kind, Guid.NewGuid(), new OutboxSteps.StepDone(Guid.NewGuid(), 1), DateTimeOffset.UtcNow);
            target = record.EventId;
            await OutboxSteps.InsertAsync(server.Db, [record]);

            var metrics = server.Services.GetRequiredService<DispatchMetrics>();
            await Eventually.WaitForAsync(() => Task.FromResult(server.Log.Lines.Where(l => l.Contains("Outbox lag is", StringComparison.Ordinal)).ToList()),
                lines => lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("over 1 s", StringComparison.Ordinal)), "the lag warning");
            Assert.True(metrics.Snapshot().OutboxLagSeconds > 1, $"lag metric {metrics.Snapshot().OutboxLagSeconds} s");

            release.SetResult();
            await Eventually.WaitForAsync(() => Task.FromResult(server.Log.Lines.Count(l => l.Contains("Outbox lag is back", StringComparison.Ordinal))), n => n == 1, "the lag's end logged");
            await Eventually.WaitForAsync(() => Task.FromResult(metrics.Snapshot().OutboxLagSeconds), s => s == 0, "the lag metric back to zero");
            Assert.Single(server.Log.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Outbox lag is", StringComparison.Ordinal));
        }
        finally
        {
            server.Consumer.Before = null;
            release.TrySetResult();
        }
    }
}
