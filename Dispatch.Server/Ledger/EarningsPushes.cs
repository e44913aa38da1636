using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Hubs;
using Dispatch.Server.Outbox;

namespace Dispatch.Server.Ledger;

/// <summary>
/// Tells a courier's app that their money moved (EarningsChanged with the new balance): after a delivery, from the outbox
/// (the delivery's ledger lines are committed with it), and after an adjustment or a withdrawal step, from its coordinator
/// once committed. A push says "look again", so a repeated one is harmless and a lost one only delays the page.
/// </summary>
internal sealed partial class EarningsPushes(LedgerReads reads, ICourierClients courierClients, ILogger<EarningsPushes> logger) : IOutboxConsumer
{
    public const string Delivered = "delivered";
    public const string Adjusted = "adjusted";
    public const string WithdrawalRequested = "withdrawal-requested";
    public const string WithdrawalApproved = "withdrawal-approved";
    public const string WithdrawalRejected = "withdrawal-rejected";

    public string Name => "earnings-pushes";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<(Guid CourierId, Guid OrderId)>? delivered = null;
        foreach (var e in events)
        {
            if (e.Kind != OutboxKinds.OrderStatus) continue;
            var moved = e.Read<OrderMoved>();
            if (moved is { To: OrderStatus.Delivered, CourierId: { } courierId }) (delivered ??= []).Add((courierId, moved.OrderId));
        }
        if (delivered is null) return;
        // One query for the batch's couriers, not a round trip per delivery in turn (125 of them held a 500-event batch ~390 ms).
        try
        {
            var balances = await reads.BalancesAsync(delivered.Select(d => d.CourierId).Distinct().ToList(), ct);
            await Task.WhenAll(delivered.Select(d => PushAsync(d.CourierId, Delivered, d.OrderId, null, balances[d.CourierId])));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBatchFailed(logger, ex, delivered.Count);
        }
    }

    /// <summary>Pushes the courier's balance now; a failure is logged, never thrown: the money moved whether or not the app heard.</summary>
    public async Task SendAsync(Guid courierId, string reason, Guid? orderId, Guid? withdrawalId, CancellationToken ct)
    {
        try
        {
            await PushAsync(courierId, reason, orderId, withdrawalId, await reads.BalanceAsync(courierId, ct));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex, courierId, reason);
        }
    }

    private async Task PushAsync(Guid courierId, string reason, Guid? orderId, Guid? withdrawalId, CourierBalance balance)
    {
        try
        {
            await courierClients.Courier(courierId).EarningsChanged(new EarningsChangedMessage(reason, orderId, withdrawalId, balance));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex, courierId, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EarningsChanged ({Reason}) to courier {CourierId} not sent")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EarningsChanged after {Count} deliveries not sent: the balances could not be read")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
