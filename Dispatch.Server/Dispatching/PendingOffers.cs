using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Hubs;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Hands a courier going online on a connection the offers still pending for them. An offer's push goes to the courier's
/// connections of that moment, so one made while they had none (a dropped network, a node restart, a fleet reconnecting
/// after a shift change while dispatch still counted them in) would otherwise never arrive and only expire. Runs on the
/// hub call after the connection is subscribed, so an offer made later is pushed as usual; one pushed twice is shown once
/// (clients key offers by id).
/// </summary>
internal sealed partial class PendingOffers(
    IDbContextFactory<DispatchDbContext> dbs,
    ICourierClients courierClients,
    TimeProvider clock,
    ILogger<PendingOffers> logger) : IDisposable
{
    /// <summary>Queues a fleet's reconnect here rather than in the connection pool, as going online does.</summary>
    private readonly SemaphoreSlim _databaseGate = new(8);

    public async Task SendAsync(Guid courierId, string connectionId, CancellationToken ct)
    {
        List<OfferMessage> messages;
        await _databaseGate.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var offers = await db.Offers.AsNoTracking()
                .Where(f => f.CourierId == courierId && f.Status == OfferStatus.Pending && f.ExpiresAt > now)
                .OrderBy(f => f.CreatedAt)
                .ToListAsync(ct);
            if (offers.Count == 0) return;
            var orders = await OfferMessages.OrdersAsync(db, offers, ct);
            messages = [.. OfferMessages.Group(offers, orders).Select(m => m.Message)];
        }
        finally
        {
            _databaseGate.Release();
        }
        var client = courierClients.Connection(connectionId);
        foreach (var message in messages) await client.OfferReceived(message);
        LogSent(logger, courierId, messages.Count);
    }

    public void Dispose() => _databaseGate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} went online with {Count} offer(s) pending; sent them to the new connection")]
    private static partial void LogSent(ILogger logger, Guid courierId, int count);
}
