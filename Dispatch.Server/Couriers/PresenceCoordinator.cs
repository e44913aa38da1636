using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Locations;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Couriers;

/// <summary>Couriers going online (with this shift's equipment) and offline.</summary>
internal sealed partial class PresenceCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    FleetReader locator,
    FleetWriter writer,
    AssignmentBook assignments,
    CourierNames names,
    Dispatching.OfferAnswers answers,
    Microsoft.Extensions.Options.IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<PresenceCoordinator> logger) : IDisposable
{
    public const int MaxCapacity = 10;

    /// <summary>The longest shift a courier may announce.</summary>
    public const int MaxShiftHours = 16;

    /// <summary>
    /// A shift change brings thousands of couriers online at once; queue their database reads here
    /// rather than in the connection pool, where waiting ends in a timeout.
    /// </summary>
    private readonly SemaphoreSlim _databaseGate = new(16);

    public async Task<Outcome<CourierSession>> GoOnlineAsync(Guid courierId, GoOnlineRequest? request, CancellationToken ct)
    {
        if (request is null) return Failure.BadRequest("request", "Send equipment, vehicle and capacity to go online.");
        if (!Enum.IsDefined(request.Equipment)) return Failure.BadRequest("equipment", $"Unknown equipment {(int)request.Equipment}; use none, insulatedBox or activeCooler.");
        if (!Enum.IsDefined(request.Vehicle)) return Failure.BadRequest("vehicle", $"Unknown vehicle {(int)request.Vehicle}.");
        if (request.Capacity is < 1 or > MaxCapacity) return Failure.BadRequest("capacity", $"Capacity must be 1..{MaxCapacity} orders, got {request.Capacity}.");
        var now = clock.GetUtcNow();
        if (request.ShiftEndsAt is { } end && (end <= now || end > now.AddHours(MaxShiftHours)))
            return Failure.BadRequest("shiftEndsAt", $"shiftEndsAt {end:O} must be in the next {MaxShiftHours} hours (now is {now:O}); leave it out for an open-ended shift.");

        CourierRecord? courier;
        List<OrderRecord> active;
        await _databaseGate.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            courier = await db.Couriers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courierId, ct);
            if (courier is null) return Failure.NotFound($"Courier {courierId} is not registered; register on the runner page first.");
            active = await db.Orders.AsNoTracking()
                .Where(o => o.CourierId == courierId && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup
                    || o.Status == OrderStatus.PickedUp || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
                .ToListAsync(ct);
        }
        finally
        {
            _databaseGate.Release();
        }
        var allowed = ShiftAllowance.Decide(new CourierStanding(courier.Review, courier.SuspendedAt is not null, courier.Equipment, courier.Capacity),
            request.Equipment, request.Capacity);
        if (allowed.Refusal is { } refusal)
        {
            LogRefused(logger, courierId, courier.Review, courier.SuspendedAt is not null);
            return Failure.Forbidden(refusal);
        }
        var previous = await locator.GetAsync(courierId);

        names.Remember(courierId, courier.Name);
        var session = sessions.GetOrAdd(courierId, courier.Name);
        CourierSnapshot? snapshot;
        lock (session.Sync)
        {
            // Dispatch works with what an admin verified, never with more than that.
            session.Equipment = allowed.Equipment;
            session.Vehicle = request.Vehicle;
            session.Capacity = allowed.Capacity;
            session.ShiftEndsAt = request.ShiftEndsAt?.ToUniversalTime();
            if (!session.Online || session.OnlineSince is null) session.OnlineSince = now;
            session.Online = true;
            session.ActiveOrders = active.Count;
            session.CarryingOrders = active.Count(o => OrderStateMachine.IsCarrying(o.Status));
            if (session.LastFix is null && previous is not null)
            {
                // Replays across reconnects (even to another node) are caught against the last fix Redis has.
                session.LastFix = new AcceptedFix(previous.At, previous.Position);
                session.Zone = previous.Zone;
            }
            snapshot = session.ToSnapshot();
        }
        assignments.Set(courierId, active.Select(o => new Assignment(o.Id, OrderEvents.ToLatLon(o.Pickup), OrderEvents.ToLatLon(o.Dropoff), o.Status,
            Via: OrderStops.Remaining(o))));
        if (snapshot is not null) await writer.SaveAsync(snapshot);
        LogOnline(logger, courierId, allowed.Equipment, request.Vehicle, allowed.Capacity, active.Count);
        return new CourierSession(courierId, courier.Name, [.. active.Select(o => JobFactory.ToJob(o, options.Value.Currency))],
            allowed.Equipment, allowed.Capacity, allowed.Notice);
    }

    /// <summary>Takes the courier offline: out of the zone's geo set, and every pending offer withdrawn at once.</summary>
    public async Task GoOfflineAsync(Guid courierId, CancellationToken ct)
    {
        var session = sessions.Find(courierId);
        if (session is not null)
        {
            CourierSnapshot? offline;
            string? zone;
            lock (session.Sync)
            {
                session.Online = false;
                zone = session.Zone;
                offline = session.ToSnapshot();
            }
            try
            {
                if (zone is not null) await writer.RemoveAsync(zone, offline, courierId);
            }
            catch (Exception ex) when (DependencyDown.Of(ex) is not null)
            {
                // Refused as a whole (the caller is told to retry): the courier stays online here too, so the fixes this
                // node already acknowledged still reach Redis once it is back.
                lock (session.Sync) session.Online = true;
                throw;
            }
            LogOffline(logger, courierId);
        }
        await answers.WithdrawOffersOfAsync(courierId, "courier went offline", "You went offline, so this offer went to another courier.", ct);
    }

    public void Dispose() => _databaseGate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} online with {Equipment} on {Vehicle}, capacity {Capacity}, {Active} active order(s)")]
    private static partial void LogOnline(ILogger logger, Guid courierId, Equipment equipment, Vehicle vehicle, int capacity, int active);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId} refused going online: review {Review}, suspended {Suspended}")]
    private static partial void LogRefused(ILogger logger, Guid courierId, CourierReview review, bool suspended);

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId} offline")]
    private static partial void LogOffline(ILogger logger, Guid courierId);
}
