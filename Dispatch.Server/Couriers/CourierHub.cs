using System.Security.Claims;
using Dispatch.Core.Contracts;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Fleet;
using Dispatch.Server.Hubs;
using Dispatch.Server.Locations;
using Dispatch.Server.Orders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Couriers;

/// <summary>The runner app's hub at /hubs/courier. A thin adapter: every call goes to a coordinator; refusals become HubExceptions.</summary>
[Authorize(Roles = Roles.Courier)]
internal sealed class CourierHub(
    PresenceCoordinator presence,
    FixIntake intake,
    OnlineCouriers sessions,
    OfferAnswers answers,
    DeliveryCoordinator delivery,
    Errands.ReceiptCoordinator receipts,
    Errands.StopCoordinator stops,
    CourierEarnings earnings,
    Ledger.CourierEarningsQuery ledger,
    HubRateLimits limits,
    CourierConnections connections,
    PendingOffers pendingOffers) : Hub<ICourierClient>, ICourierHub
{
    private Guid CourierId => Guid.TryParse(Context.User?.FindFirstValue("sub"), out var id)
        ? id
        : throw new HubException("Your token has no courier id; sign in again.");

    public override Task OnConnectedAsync()
    {
        // Known per node so that suspending the courier can close their connection wherever it is.
        if (Guid.TryParse(Context.User?.FindFirstValue("sub"), out var id)) connections.Opened(id, Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public async Task<CourierSession> GoOnline(GoOnlineRequest request)
    {
        var session = Unwrap(await presence.GoOnlineAsync(CourierId, request, Context.ConnectionAborted));
        // Offers made while this courier had no connection here were pushed to nobody.
        await pendingOffers.SendAsync(CourierId, Context.ConnectionId, Context.ConnectionAborted);
        return session;
    }

    public Task GoOffline() => presence.GoOfflineAsync(CourierId, Context.ConnectionAborted);

    public Task<FixBatchResult> SendFixes(LocationFix[] fixes)
    {
        if (fixes is null || fixes.Length == 0) throw new HubException("Send at least one fix.");
        if (fixes.Length > HubPaths.MaxFixesPerBatch) throw new HubException($"A batch holds at most {HubPaths.MaxFixesPerBatch} fixes; got {fixes.Length}. Split it.");
        limits.SendFixes(Context, fixes.Length);
        var session = sessions.Find(CourierId);
        if (session is null || !session.Online) throw new HubException("Go online before sending fixes.");
        return Task.FromResult(intake.Submit(session, fixes));
    }

    public async Task<AcceptResult> AcceptOffer(Guid offerId) =>
        Unwrap(await answers.AcceptAsync(CourierId, offerId, Context.ConnectionAborted));

    public async Task DeclineOffer(Guid offerId, string reason)
    {
        HubArguments.Text(nameof(DeclineOffer), nameof(reason), reason, 300);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 300) throw new HubException("Give a reason for declining (at most 300 characters).");
        Unwrap(await answers.DeclineAsync(CourierId, offerId, reason.Trim(), Context.ConnectionAborted));
    }

    public async Task<OrderStepResult> ArrivedAtPickup(Guid orderId) =>
        Unwrap(await delivery.ArrivedAtPickupAsync(CourierId, orderId, Context.ConnectionAborted));

    public async Task<OrderStepResult> PickedUp(Guid orderId) =>
        Unwrap(await delivery.PickedUpAsync(CourierId, orderId, Context.ConnectionAborted));

    public async Task<OrderStepResult> Delivered(Guid orderId, string pin)
    {
        HubArguments.Text(nameof(Delivered), nameof(pin), pin, 16);
        return Unwrap(await delivery.DeliveredAsync(CourierId, orderId, pin, Context.ConnectionAborted));
    }

    public async Task<StopCompleted> CompleteStop(Guid orderId, int stopIndex) =>
        Unwrap(await stops.CompleteAsync(CourierId, orderId, stopIndex, Context.ConnectionAborted));

    public async Task<ReceiptChanged> SubmitReceipt(Guid orderId, ReceiptSubmission receipt)
    {
        HubArguments.Text(nameof(SubmitReceipt), "receipt.photoRef", receipt?.PhotoRef, Core.Errands.BuyForMe.MaxPhotoRefLength);
        return Unwrap(await receipts.SubmitAsync(CourierId, orderId, receipt, Context.ConnectionAborted));
    }

    public Task<EarningsSummary> TodaysEarnings() => earnings.TodayAsync(CourierId, Context.ConnectionAborted);

    public async Task<CourierEarningsView> GetEarnings(DateOnly? fromDay, DateOnly? toDay) =>
        Unwrap(await ledger.ForCourierAsync(CourierId, fromDay, toDay, Context.ConnectionAborted));

    private static T Unwrap<T>(Outcome<T> outcome) => outcome.Ok ? outcome.Value! : throw new HubException(outcome.Failure!.Detail);
}
