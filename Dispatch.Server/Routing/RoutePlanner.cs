using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;
using Dispatch.Server.Fleet;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Dispatch.Server.Routing;

/// <summary>
/// Plans the courier's route for an order on the road network (courier → pickup → a multi-stop errand's remaining stops →
/// drop-off; without the pickup once carrying), one leg per stop with its ETA, stores it as a new version in routes with the
/// <see cref="OutboxKinds.RoutePlanned"/> row by which <see cref="RoutePushes"/> sends it to the customer and the courier (a
/// push after the commit could be lost to a crash, or throw with Redis away into the accept that asked for the route).
/// Routing trouble never undoes the step that asked for it: it is logged and the order goes on without a route.
/// </summary>
internal sealed partial class RoutePlanner(
    RoadRouter router,
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    FleetReader fleet,
    AssignmentBook assignments,
    TimeProvider clock,
    ILogger<RoutePlanner> logger)
{
    private static readonly GeometryFactory Geography = new(new PrecisionModel(), 4326);

    public async Task<RouteMessage?> TryPlanAsync(Guid orderId, Guid courierId, string reason, CancellationToken ct)
    {
        try
        {
            return await PlanAsync(orderId, courierId, reason, ct);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            LogFailed(logger, orderId, ex);
            return null;
        }
    }

    private async Task<RouteMessage?> PlanAsync(Guid orderId, Guid courierId, string reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        // A dispatcher's assignment may land on a node not holding the courier's session: their last fix is then Redis's.
        var session = sessions.Find(courierId);
        (LatLon At, Vehicle Vehicle)? start = session?.LastFix is { } fix ? (fix.Position, session.Vehicle)
            : await fleet.GetAsync(courierId) is { } seen ? (seen.Position, seen.Vehicle) : null;
        if (start is not var (from, vehicle)) return null;
        // X = longitude (NTS), as for the path below.
        var pickup = new LatLon(order.Pickup.Y, order.Pickup.X);
        var dropoff = new LatLon(order.Dropoff.Y, order.Dropoff.X);
        var carrying = OrderStateMachine.IsCarrying(order.Status);
        // A multi-stop errand goes through the stops still to do, in order, between the pickup and the drop-off.
        var errand = OrderStops.Read(order);
        var open = Enumerable.Range(0, errand.Count).Where(i => !errand[i].IsDone).ToList();
        List<LatLon> stops = [from];
        List<string> names = [];
        if (!carrying)
        {
            stops.Add(pickup);
            names.Add("pickup");
        }
        foreach (var i in open)
        {
            stops.Add(errand[i].At);
            names.Add($"stop {i + 1}");
        }
        stops.Add(dropoff);
        names.Add("dropoff");
        var planned = await router.PlanAsync(order.Zone, stops, vehicle, ct);
        if (!planned.Ok)
        {
            LogNoRoute(logger, order.FormatNumber(), planned.Failure!.Detail);
            return null;
        }

        var now = clock.GetUtcNow();
        var legs = new List<RouteLeg>();
        var elapsed = 0.0;
        for (var i = 0; i < planned.Value!.Count; i++)
        {
            var seconds = planned.Value[i].Seconds;
            elapsed += seconds;
            legs.Add(new RouteLeg(names[i], Math.Round(planned.Value[i].Metres, 1), Math.Round(seconds), now.AddSeconds(elapsed)));
        }
        var path = Join(planned.Value.Select(l => l.Line));
        var version = 1 + (await db.Routes.Where(r => r.OrderId == orderId).MaxAsync(r => (int?)r.Version, ct) ?? 0);
        db.Routes.Add(new RouteRecord
        {
            OrderId = orderId,
            Version = version,
            CourierId = courierId,
            CreatedAt = now,
            Reason = reason,
            Path = path,
            DistanceMetres = legs.Sum(l => l.DistanceMetres),
            DurationSeconds = legs.Sum(l => l.DurationSeconds),
            Legs = JsonSerializer.Serialize(legs),
        });
        OutboxWriter.Add(db, OutboxKinds.RoutePlanned, orderId, new RoutePlanned(orderId, courierId, version, Attached: session?.LastFix is not null), now);
        await db.SaveChangesAsync(ct);

        // Remaining time along the route at the route's own mean speed (the profile prices each road class differently).
        var totalSeconds = planned.Value.Sum(l => l.Seconds);
        var speed = totalSeconds > 0 ? planned.Value.Sum(l => l.Metres) / totalSeconds : router.Profile(vehicle).DefaultMetresPerSecond;
        // This node's book, if the courier is here; the node holding them attaches the stored route (Couriers/CourierLoadEffects).
        assignments.SetRoute(courierId, orderId, new RouteTrack(version, [.. path.Coordinates.Select(c => new LatLon(c.Y, c.X))], speed));
        var message = ToMessage(orderId, version, path, [.. legs], now);
        LogPlanned(logger, order.FormatNumber(), version, legs.Sum(l => l.DistanceMetres), reason);
        return message;
    }

    /// <summary>The latest route of an order, for a customer who subscribes mid-way.</summary>
    public static async Task<RouteMessage?> LatestAsync(DispatchDbContext db, Guid orderId, CancellationToken ct)
    {
        var r = await db.Routes.AsNoTracking().Where(x => x.OrderId == orderId).OrderByDescending(x => x.Version).FirstOrDefaultAsync(ct);
        return r is null ? null : ToMessage(r);
    }

    /// <summary>A stored route as the courier's app gets it.</summary>
    public static RouteMessage ToMessage(RouteRecord r) => ToMessage(r.OrderId, r.Version, r.Path, JsonSerializer.Deserialize<RouteLeg[]>(r.Legs) ?? [], r.CreatedAt);

    private static RouteMessage ToMessage(Guid orderId, int version, LineString path, RouteLeg[] legs, DateTimeOffset at) =>
        new(orderId, version, [.. path.Coordinates.Select(c => new[] { Math.Round(c.Y, 6), Math.Round(c.X, 6) })], legs, at);

    /// <summary>Concatenates leg lines into one, dropping the repeated joint points.</summary>
    private static LineString Join(IEnumerable<LineString> lines)
    {
        var coordinates = new List<Coordinate>();
        foreach (var line in lines)
        {
            foreach (var c in line.Coordinates)
            {
                if (coordinates.Count > 0 && coordinates[^1].Equals2D(c)) continue;
                coordinates.Add(new Coordinate(c.X, c.Y));
            }
        }
        if (coordinates.Count == 1) coordinates.Add(coordinates[0].Copy());
        return Geography.CreateLineString([.. coordinates]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: route v{Version} planned, {Metres:0} m ({Reason})")]
    private static partial void LogPlanned(ILogger logger, string number, int version, double metres, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: no road route ({Reason}); ETAs stay straight-line")]
    private static partial void LogNoRoute(ILogger logger, string number, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route planning for order {OrderId} failed")]
    private static partial void LogFailed(ILogger logger, Guid orderId, Exception ex);
}
