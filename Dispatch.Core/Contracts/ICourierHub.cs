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
}
