using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// The server with webhook retries fast enough to watch (first back-off bound 100 ms, at most 400 ms, 3 attempts, 2 s
/// timeout), and a way to commit outbox events as the order code does (OutboxWriter in a transaction).
/// </summary>
public class WebhookServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Webhooks:RetryFirstMilliseconds"] = "100";
        settings["Webhooks:RetryMaxSeconds"] = "1";
        settings["Webhooks:MaxAttempts"] = "3";
        settings["Webhooks:TimeoutSeconds"] = "2";
        settings["Webhooks:PollMilliseconds"] = "200";
    }

    /// <summary>Commits the events in one transaction, in the order given (their outbox ids increase in that order).</summary>
    public async Task CommitEventsAsync(params (string Kind, Guid OrderId, object Payload)[] events)
    {
        var dbs = Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        await using var db = await dbs.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var (kind, orderId, payload) in events)
        {
            OutboxWriter.Add(db, kind, orderId, payload, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(); // one at a time: ids in the order given
        }
        await tx.CommitAsync();
    }
}
