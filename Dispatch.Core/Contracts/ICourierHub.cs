namespace Dispatch.Core.Contracts;

/// <summary>
/// Methods the runner app calls on <c>/hubs/courier</c>. Failures (illegal transition, wrong PIN, offer gone)
/// arrive as a HubException whose message says what happened and what to do.
/// </summary>
public interface ICourierHub
{
    Task<CourierSession> GoOnline(GoOnlineRequest request);

    Task GoOffline();

    Task<FixBatchResult> SendFixes(LocationFix[] fixes);

    Task<AcceptResult> AcceptOffer(Guid offerId);

    Task DeclineOffer(Guid offerId, string reason);

    Task<OrderStepResult> ArrivedAtPickup(Guid orderId);

    Task<OrderStepResult> PickedUp(Guid orderId);

    Task<OrderStepResult> Delivered(Guid orderId, string pin);

    /// <summary>
    /// Multi-stop errands, after pickup: stop <paramref name="stopIndex"/> (0-based, as in the job's <c>Stops</c>) is done.
    /// Stops go in order, each once; delivery waits until all are done.
    /// </summary>
    Task<StopCompleted> CompleteStop(Guid orderId, int stopIndex);

    /// <summary>Buy-for-me errands, after pickup: what the goods cost and a photo of the receipt. Over the price cap the customer decides.</summary>
    Task<ReceiptChanged> SubmitReceipt(Guid orderId, ReceiptSubmission receipt);

    /// <summary>Deliveries and fees of the courier's current local day (the server's earnings time zone).</summary>
    Task<EarningsSummary> TodaysEarnings();

    /// <summary>
    /// The courier's earnings from the ledger, as GET /api/couriers/me/earnings answers them: balance (pending, settled,
    /// withdrawing), the local days <paramref name="fromDay"/>..<paramref name="toDay"/> (both null: the last 14 days and 8 weeks;
    /// at most 92 days) and their ISO weeks, each order's fee with its parts, and the last withdrawals.
    /// </summary>
    Task<CourierEarningsView> GetEarnings(DateOnly? fromDay, DateOnly? toDay);
}
