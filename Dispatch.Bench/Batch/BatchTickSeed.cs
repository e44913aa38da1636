using System.Diagnostics;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Dev;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Bench.Batch;

/// <summary>
/// The batch benchmark's world: online couriers and waiting orders spread over a zone (fixed seed), written the way the
/// server writes them, and put back before every round so each round does the full work.
/// </summary>
internal sealed class BatchTickSeed(IServiceProvider services, string zone, Envelope area)
{
    private readonly IDbContextFactory<DispatchDbContext> _dbs = services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
    private readonly NpgsqlDataSource _data = services.GetRequiredService<NpgsqlDataSource>();
    private readonly IConnectionMultiplexer _redis = services.GetRequiredService<IConnectionMultiplexer>();
    private readonly FleetKeys _keys = services.GetRequiredService<FleetKeys>();
    private readonly FleetWriter _writer = services.GetRequiredService<FleetWriter>();
    private readonly Random _random = new(20261127);
    private List<CourierSnapshot> _couriers = [];
    // Where each courier is riding to: they move toward it between rounds and get a new one on arrival.
    private LatLon[] _heading = [];
    private List<LatLon> _pickups = [];

    /// <summary>The online couriers, in seeding order.</summary>
    public Guid[] CourierIds => [.. _couriers.Select(c => c.CourierId)];

    /// <summary>How many pending offers of the waiting orders are to these couriers (the pushes they should get).</summary>
    public async Task<int> PendingOffersToAsync(Guid[] couriers)
    {
        await using var command = _data.CreateCommand("select count(*) from offers where status = 0 and order_id = any($1) and courier_id = any($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = OrderIds });
        command.Parameters.Add(new NpgsqlParameter { Value = couriers });
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The waiting orders every round starts from.</summary>
    public Guid[] OrderIds { get; private set; } = [];

    /// <summary>Orders already offered (not waiting), whose couriers hold a pending offer and sit the rounds out.</summary>
    public int HeldOrders { get; private set; }

    /// <summary>Accepted orders on couriers' trips (one for each courier whose state says they carry one).</summary>
    public int OnBoardOrders { get; private set; }

    /// <summary>Declined and expired offers of waiting orders (a decliner is excluded for a cool-down, then costs a penalty).</summary>
    public int PastOffers { get; private set; }

    public async Task SeedAsync(int orders, int couriers, DateTimeOffset now)
    {
        // Couriers rows as the fleet helper makes them (vehicles, a third with an insulated box, capacity 2); a quarter carry an order.
        var fleet = await DevApi.EnsureFleetAsync(_dbs, "bench", couriers, now, CancellationToken.None);
        _couriers = [.. fleet.Select((c, i) =>
        {
            var p = RandomPoint();
            var carrying = i % 4 == 0 ? 1 : 0;
            return new CourierSnapshot(c.Id, zone, p.Lat, p.Lon, now, c.Equipment, c.Vehicle, c.Capacity, carrying,
                carrying > 0 ? CourierActivity.Carrying : CourierActivity.Idle);
        })];
        _heading = [.. _couriers.Select(_ => RandomPoint())];
        await RefreshCouriersAsync(now);

        // Waiting orders inserted as OrderCoordinator leaves them once paid; a tenth frozen (cold chain), pickups and drop-offs in the zone.
        var held = Math.Max(1, orders / 10);
        var records = new List<OrderRecord>(orders + held);
        for (var i = 0; i < orders + held; i++)
        {
            var (pickup, dropoff) = (RandomPoint(), RandomPoint());
            var frozen = i % 10 == 0;
            var record = NewOrder(records.Count, pickup, dropoff, frozen ? OrderKind.Frozen : OrderKind.Errand, i < orders ? OrderStatus.Paid : OrderStatus.Offered,
                now.AddMinutes(45), now.AddMilliseconds(i));
            record.RequiresColdChain = frozen;
            records.Add(record);
            if (i < orders) _pickups.Add(pickup);
        }
        // The order each courier whose state says they carry one holds (accepted, not picked up yet), so a round plans their
        // trips with and without the new order as it would for a real fleet.
        var onBoard = 0;
        foreach (var courier in _couriers.Where(c => c.ActiveOrders > 0))
        {
            var record = NewOrder(records.Count, RandomPoint(), RandomPoint(), OrderKind.Errand, OrderStatus.Accepted, now.AddMinutes(30), now.AddMinutes(-10));
            record.CourierId = courier.CourierId;
            records.Add(record);
            onBoard++;
        }
        var offers = new List<OfferRecord>();
        for (var i = 0; i < orders + held; i++)
        {
            OfferStatus? status = i >= orders ? OfferStatus.Pending : i % 5 == 1 ? OfferStatus.Expired : i % 20 == 3 ? OfferStatus.Declined : null;
            if (status is not { } s) continue;
            var courier = i >= orders ? _couriers[i - orders] : _couriers[_random.Next(_couriers.Count)];
            offers.Add(new OfferRecord
            {
                Id = Guid.CreateVersion7(),
                OrderId = records[i].Id,
                CourierId = courier.CourierId,
                Status = s,
                CreatedAt = now.AddMinutes(-11),
                ExpiresAt = s == OfferStatus.Pending ? now.AddDays(1) : now.AddMinutes(-10),
                RespondedAt = s == OfferStatus.Pending ? null : now.AddMinutes(-10),
            });
        }
        await using (var db2 = await _dbs.CreateDbContextAsync())
        {
            db2.Orders.AddRange(records);
            db2.Offers.AddRange(offers);
            await db2.SaveChangesAsync();
        }
        OrderIds = [.. records.Take(orders).Select(o => o.Id)];
        HeldOrders = held;
        OnBoardOrders = onBoard;
        PastOffers = offers.Count(f => f.Status != OfferStatus.Pending);
    }

    /// <summary>
    /// Back to the state before any round: half the orders Paid, half Dispatching (waited through an earlier round), no
    /// pending offers, decisions or events of theirs; decliners 1 minute ago (excluded), expired offers 10 minutes ago
    /// (penalised); every courier's position fresh. No VACUUM: dead rows are autovacuum's, as on a long-running database.
    /// </summary>
    public async Task ResetAsync(DateTimeOffset now)
    {
        await using (var batch = _data.CreateBatch())
        {
            foreach (var sql in new[]
            {
                "delete from offers where order_id = any($1) and status = 0",
                "delete from dispatch_decisions where order_id = any($1)",
                "delete from order_events where order_id = any($1)",
                "update offers set responded_at = $2 - case status when 2 then interval '1 minute' else interval '10 minutes' end where order_id = any($1) and status in (2, 3)",
                "update orders set status = case when number % 2 = 0 then 1 else 2 end, version = version + 1 where id = any($1)",
            })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter { Value = OrderIds });
                if (sql.Contains("$2", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = now });
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync();
        }
        await RefreshCouriersAsync(now);
    }

    /// <summary>
    /// The floor of the candidates phase: every order's first ring as one pipelined batch of GEOSEARCH (COUNT, WITHDIST,
    /// nearest first, as <see cref="FleetReader"/> asks) and one MGET of the distinct couriers found; nothing decoded.
    /// </summary>
    public async Task<double> RedisFloorAsync(double radiusMetres, int count)
    {
        var watch = Stopwatch.StartNew();
        var db = _redis.GetDatabase();
        var batch = db.CreateBatch();
        var searches = _pickups.Select(p => batch.GeoSearchAsync(_keys.ZoneCouriers(zone), p.Lon, p.Lat, new GeoSearchCircle(radiusMetres, GeoUnit.Meters),
            count, demandClosest: true, order: Order.Ascending, options: GeoRadiusOptions.WithDistance)).ToList();
        batch.Execute();
        var hits = await Task.WhenAll(searches);
        var members = hits.SelectMany(h => h).Select(h => h.Member).Distinct().Select(m => _keys.CourierState(Guid.ParseExact(m.ToString(), "N"))).ToArray();
        var states = await db.StringGetAsync(members);
        if (states.Length != members.Length) throw new InvalidOperationException("MGET answered the wrong number of keys");
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>How far each courier rides between two rounds: about 30 km/h over a 5-second batch window.</summary>
    private const double MetresPerRound = 40;

    /// <summary>
    /// Every courier a step further toward where they ride (a new random place on arrival), written as fix intake writes
    /// it: the zone's geo set (so the set's order changes every round, as a moving fleet's does), the state and last-seen at
    /// <paramref name="now"/>. A still fleet would let the zone read take paths a real one never does.
    /// </summary>
    private async Task RefreshCouriersAsync(DateTimeOffset now)
    {
        _couriers = [.. _couriers.Select((c, i) =>
        {
            var at = GeoMath.StepToward(new LatLon(c.Lat, c.Lon), _heading[i], MetresPerRound);
            if (at == _heading[i]) _heading[i] = RandomPoint();
            return c with { Lat = at.Lat, Lon = at.Lon, At = now };
        })];
        await _writer.WriteMovesAsync([.. _couriers.Select(c => (c, (string?)null))]);
    }

    private OrderRecord NewOrder(int i, LatLon pickup, LatLon dropoff, OrderKind kind, OrderStatus status, DateTimeOffset promisedAt, DateTimeOffset createdAt) => new()
    {
        Id = Guid.CreateVersion7(),
        MerchantId = "bench",
        IdempotencyKey = $"bench-{i}",
        RequestHash = "",
        Zone = zone,
        Kind = kind,
        Status = status,
        Pickup = OrderEvents.ToPoint(pickup),
        PickupAddress = $"Pickup {i}",
        Dropoff = OrderEvents.ToPoint(dropoff),
        DropoffAddress = $"Drop-off {i}",
        CustomerName = $"Customer {i}",
        CustomerPhone = $"+377 9{i:0000000}",
        Items = ["bench item"],
        Pin = (i % 10_000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture),
        PromisedAt = promisedAt,
        CreatedAt = createdAt,
        TrackingExpiresAt = createdAt.AddHours(24),
    };

    /// <summary>Uniform in the zone's box shrunk by 5 % on each side (the Monaco zone is a box; random points stay off its edges).</summary>
    private LatLon RandomPoint()
    {
        var (dLat, dLon) = (area.Height * 0.05, area.Width * 0.05);
        return new(area.MinY + dLat + (area.Height - 2 * dLat) * _random.NextDouble(), area.MinX + dLon + (area.Width - 2 * dLon) * _random.NextDouble());
    }
}
