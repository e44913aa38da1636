using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Infrastructure;

/// <summary>A courier connected to the real /hubs/courier with the real SignalR .NET client over MessagePack.</summary>
public sealed class TestCourier(Guid id, string name, HubConnection connection) : IAsyncDisposable
{
    /// <summary>
    /// Fix times advance as if the courier rode at 60 m/s (under the 70 m/s plausibility limit) and never lag
    /// real time by more than 30 s, so moves are plausible, positions stay fresh, and a burst of moves up to
    /// about 2 km fits before fix times would run into the future.
    /// </summary>
    private const double RideMetresPerSecond = 60;
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(30);
    private DateTimeOffset _lastFix = DateTimeOffset.UtcNow.AddSeconds(-60);
    private Dispatch.Core.Geo.LatLon? _lastPosition;

    public Guid Id { get; } = id;

    public string Name { get; } = name;

    public HubConnection Connection { get; } = connection;

    /// <summary>Offers pushed; a bundle offer is one message (its <see cref="OfferMessage.Bundle"/> lists every order of it).</summary>
    public Inbox<OfferMessage> Offers { get; } = new();

    public Inbox<OfferWithdrawnMessage> Withdrawn { get; } = new();

    public Inbox<OrderCancelledMessage> Cancelled { get; } = new();

    public Inbox<JobAssignedMessage> Assigned { get; } = new();

    public Inbox<OrderReassignedMessage> Reassigned { get; } = new();

    /// <summary>Every job held, pushed after Redis returned from an outage.</summary>
    public Inbox<JobsInHandMessage> JobsInHand { get; } = new();

    public Inbox<ReceiptChanged> ReceiptDecisions { get; } = new();

    public Inbox<RouteMessage> Routes { get; } = new();

    public Inbox<SessionEndedMessage> Ended { get; } = new();

    public Inbox<EarningsChangedMessage> EarningsChanges { get; } = new();

    /// <summary>The connection's Closed events (the error the client saw, null when closed cleanly).</summary>
    public Inbox<Exception?> Closed { get; } = new();

    public Task<CourierSession> GoOnlineAsync(Equipment equipment = Equipment.InsulatedBox, Vehicle vehicle = Vehicle.Scooter, int capacity = 3) =>
        Connection.InvokeAsync<CourierSession>(nameof(ICourierHub.GoOnline), new GoOnlineRequest(equipment, vehicle, capacity));

    /// <summary>Sends one fix at the given place, timestamped now (strictly after this courier's previous fix).</summary>
    public Task<FixBatchResult> MoveToAsync(double lat, double lon) => SendAsync([Fix(lat, lon)]);

    public LocationFix Fix(double lat, double lon)
    {
        var here = new Dispatch.Core.Geo.LatLon(lat, lon);
        var seconds = _lastPosition is { } from ? Dispatch.Core.Geo.GeoMath.DistanceMetres(from, here) / RideMetresPerSecond : 0;
        var next = _lastFix.AddSeconds(Math.Max(0.05, seconds));
        var floor = DateTimeOffset.UtcNow - MaxLag;
        _lastFix = next > floor ? next : floor;
        _lastPosition = here;
        return new LocationFix(_lastFix, lat, lon, 5, 4, 90);
    }

    /// <summary>Time of the most recent fix this courier built (accepted or not).</summary>
    public DateTimeOffset LastFixTime => _lastFix;

    public Task<FixBatchResult> SendAsync(LocationFix[] fixes) =>
        Connection.InvokeAsync<FixBatchResult>(nameof(ICourierHub.SendFixes), fixes);

    /// <summary>Accepts an offer; a bundle's id (or any of its rows' ids) accepts every order of it still offered (<see cref="AcceptResult.Jobs"/>).</summary>
    public Task<AcceptResult> AcceptAsync(Guid offerId) => Connection.InvokeAsync<AcceptResult>(nameof(ICourierHub.AcceptOffer), offerId);

    public Task DeclineAsync(Guid offerId, string reason) => Connection.InvokeAsync(nameof(ICourierHub.DeclineOffer), offerId, reason);

    public Task<OrderStepResult> ArrivedAsync(Guid orderId) => Connection.InvokeAsync<OrderStepResult>(nameof(ICourierHub.ArrivedAtPickup), orderId);

    public Task<OrderStepResult> PickedUpAsync(Guid orderId) => Connection.InvokeAsync<OrderStepResult>(nameof(ICourierHub.PickedUp), orderId);

    public Task<OrderStepResult> DeliveredAsync(Guid orderId, string pin) => Connection.InvokeAsync<OrderStepResult>(nameof(ICourierHub.Delivered), orderId, pin);

    /// <summary>Sends a fix at the order's drop-off, then hands over with the PIN: the server refuses a delivery far from it.</summary>
    internal async Task<OrderStepResult> DeliverAtDropoffAsync(Dispatch.Server.Orders.OrderView order, string? pin = null)
    {
        var at = await MoveToAsync(order.Dropoff.Lat!.Value, order.Dropoff.Lon!.Value);
        if (at.Accepted != 1) throw new InvalidOperationException($"The fix at the drop-off of {order.Number} was refused.");
        return await DeliveredAsync(order.Id, pin ?? order.Pin!);
    }

    public Task<ReceiptChanged> SubmitReceiptAsync(Guid orderId, int amountCents, string photoRef = "https://photos.example/receipt.jpg") =>
        Connection.InvokeAsync<ReceiptChanged>(nameof(ICourierHub.SubmitReceipt), orderId, new ReceiptSubmission(amountCents, photoRef));

    public Task<StopCompleted> CompleteStopAsync(Guid orderId, int stopIndex) =>
        Connection.InvokeAsync<StopCompleted>(nameof(ICourierHub.CompleteStop), orderId, stopIndex);

    public Task<CourierEarningsView> GetEarningsAsync(DateOnly? from = null, DateOnly? to = null) =>
        Connection.InvokeAsync<CourierEarningsView>(nameof(ICourierHub.GetEarnings), from, to);

    public Task<EarningsSummary> TodaysEarningsAsync() => Connection.InvokeAsync<EarningsSummary>(nameof(ICourierHub.TodaysEarnings));

    /// <summary>Accept, arrive, pick up and deliver in one go.</summary>
    public async Task CompleteAsync(Guid offerId, Guid orderId, string pin)
    {
        await AcceptAsync(offerId);
        await ArrivedAsync(orderId);
        await PickedUpAsync(orderId);
        await DeliveredAsync(orderId, pin);
    }

    /// <summary>
    /// Ends the shift like the runner app does (go offline, then disconnect), so a courier left over from one test
    /// never takes an offer meant for the next test on the same server.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Connection.State == HubConnectionState.Connected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Connection.InvokeAsync(nameof(ICourierHub.GoOffline), timeout.Token);
            }
            catch (Exception e) when (e is HubException or OperationCanceledException or InvalidOperationException)
            {
                // Already offline, or the server is shutting down: disconnecting below is all that is left.
            }
        }
        await Connection.DisposeAsync();
    }
}
