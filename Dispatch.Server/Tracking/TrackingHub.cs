using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Auth;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Tracking;

/// <summary>
/// Customer tracking at /hubs/tracking. No login: the signed link token is the credential, and it opens exactly one order.
/// </summary>
[AllowAnonymous]
internal sealed partial class TrackingHub(
    TrackingLinks links,
    IDbContextFactory<DispatchDbContext> dbs,
    FleetReader locator,
    AssignmentBook assignments,
    Routing.EtaPads pads,
    Errands.ReceiptCoordinator receipts,
    RatingCoordinator ratings,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    Common.HubRateLimits limits,
    TrackingSender sender,
    ILogger<TrackingHub> logger) : Hub<ITrackingClient>, ITrackingHub
{
    public const string ExpiredMessage = "This tracking link has expired or was revoked. Ask the shop for a new one.";
    public const string InvalidMessage = "This tracking link is not valid. Check that you copied the whole link.";
    public const string OtherOrderMessage = "This tracking link belongs to another order; it can only act on its own order.";

    public async Task<TrackingSnapshot> Subscribe(string token)
    {
        limits.Subscribe(Context);
        Hubs.HubArguments.Text(nameof(Subscribe), nameof(token), token, Hubs.HubArguments.MaxTokenLength);
        var ct = Context.ConnectionAborted;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await OpenAsync(db, token, null, ct);

        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == order.Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var pickup = OrderEvents.ToLatLon(order.Pickup);
        var dropoff = OrderEvents.ToLatLon(order.Dropoff);
        TrackedCourier? courier = null;
        if (order.CourierId is { } courierId)
        {
            var row = await db.Couriers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courierId, ct);
            courier = new TrackedCourier(row?.Name, row?.Phone);
            var live = await locator.GetAsync(courierId);
            if (live is not null && OrderStateMachine.IsAssigned(order.Status))
            {
                // Along the planned route when this node follows the courier, else the straight-line estimate; plus the zone's pad.
                var assignment = assignments.For(courierId).Find(a => a.OrderId == order.Id);
                var way = new OrderWay(order.Status, pickup, dropoff, OrderStops.Remaining(order), assignment?.Route, assignment?.ProgressMetres ?? 0);
                var sight = CustomerView.Sight(way, live.Position, pads.SecondsFor(order.Zone), options.Value.EtaSpeedMetresPerSecond);
                courier = courier with { Position = live.Position, At = live.At, EtaSeconds = sight.EtaSeconds };
            }
        }

        var route = OrderStateMachine.IsAssigned(order.Status) ? await Routing.RoutePlanner.LatestAsync(db, order.Id, ct) : null;
        await sender.WatchAsync(Context.ConnectionId, order.Id, ct);
        var tracked = new TrackedOrder(order.Id, order.FormatNumber(), order.Status, pickup, dropoff, order.PromisedAt,
            JobFactory.BuyForMeOf(order, options.Value.Currency), JobFactory.RatingOf(order), OrderStops.Views(order));
        return CustomerView.Snapshot(tracked, [.. events.Select(OrderEvents.ToEvent)], courier, route);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await sender.LeaveAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    public async Task<ReceiptChanged> DecideReceipt(string token, Guid orderId, bool approve)
    {
        Hubs.HubArguments.Text(nameof(DecideReceipt), nameof(token), token, Hubs.HubArguments.MaxTokenLength);
        var ct = Context.ConnectionAborted;
        await using (var db = await dbs.CreateDbContextAsync(ct)) await OpenAsync(db, token, orderId, ct);
        var outcome = await receipts.DecideAsync(orderId, approve, ct);
        return outcome.Ok ? outcome.Value! : throw new HubException(outcome.Failure!.Detail);
    }

    public async Task<RatingView> Rate(string token, Guid orderId, int stars, string? comment)
    {
        Hubs.HubArguments.Text(nameof(Rate), nameof(token), token, Hubs.HubArguments.MaxTokenLength);
        Hubs.HubArguments.Text(nameof(Rate), nameof(comment), comment, RatingRules.MaxCommentLength, multiLine: true);
        var ct = Context.ConnectionAborted;
        await using (var db = await dbs.CreateDbContextAsync(ct)) await OpenAsync(db, token, orderId, ct);
        var outcome = await ratings.RateAsync(orderId, stars, comment, ct);
        return outcome.Ok ? outcome.Value! : throw new HubException(outcome.Failure!.Detail);
    }

    /// <summary>
    /// The order a link opens, if the link is genuine and alive; and, when <paramref name="orderId"/> is given, only if the
    /// link is that order's own (a link never acts on another order).
    /// </summary>
    private async Task<OrderRecord> OpenAsync(DispatchDbContext db, string token, Guid? orderId, CancellationToken ct)
    {
        var read = links.Read(token);
        if (read is not { } link)
        {
            LogRefused(logger, Context.ConnectionId, "invalid token");
            throw new HubException(InvalidMessage);
        }
        if (orderId is { } wanted && wanted != link.OrderId)
        {
            LogRefused(logger, Context.ConnectionId, $"link of order {link.OrderId} used for order {wanted}");
            throw new HubException(OtherOrderMessage);
        }
        var now = clock.GetUtcNow();
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == link.OrderId, ct);
        if (order is null) throw new HubException(InvalidMessage);
        if (link.ExpiresAt <= now || order.TrackingExpiresAt <= now)
        {
            LogRefused(logger, Context.ConnectionId, "expired token");
            throw new HubException(ExpiredMessage);
        }
        return order;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracking subscription refused for connection {ConnectionId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string connectionId, string reason);
}
