using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Dispatch.Server.Dispatching;

/// <summary>One offer a batch round means to make: the offer row, its decision (stored with the offer) and the order_events note.</summary>
internal sealed record PlannedOffer(OrderRecord Order, OfferRecord Offer, Dispatch.Core.Matching.DispatchExplanation Explanation, string Note);

/// <summary>
/// Writes a whole batch round in one transaction: one statement (<see cref="OrderTransitions.MoveManyCommand"/>) moves the
/// waiting orders, each on the status and version the round read, while the zone's fence holds — a matched order to Offered
/// (a paid one through Dispatching, both moves in its timeline), an unmatched paid one to Dispatching —, records their events
/// and outbox rows, and inserts the moved orders' offers; the explanations (dispatch_decisions) follow by binary COPY,
/// serialised on another thread while the statement runs. An order that changed meanwhile (cancelled, assigned by a
/// dispatcher, offered by another node) is left alone and gets no offer; the board never sees an offer without its reasons.
/// </summary>
internal static class BatchOfferWriter
{
    private const string Actor = "dispatch";

    private static readonly OrderTrigger[] Start = [OrderTrigger.StartDispatch];
    private static readonly OrderTrigger[] StartAndOffer = [OrderTrigger.StartDispatch, OrderTrigger.Offer];
    private static readonly OrderTrigger[] Offer = [OrderTrigger.Offer];

    // The offers of the orders the statement moved, one row per planned offer.
    private const string OffersSql = """
        insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost)
        select f.id, f.order_id, f.courier_id, @offer_status, @m_at, f.expires_at, 0, f.distance, f.cost
        from unnest(@offer_ids::uuid[], @offer_orders::uuid[], @offer_couriers::uuid[], @offer_distances::float8[], @offer_costs::float8[],
                    @offer_expiries::timestamptz[]) as f(id, order_id, courier_id, distance, cost, expires_at)
        join moved on moved.id = f.order_id
        """;

    /// <summary>
    /// Returns the orders that were moved to Offered, whose offers were stored; the others were left as they are.
    /// <paramref name="explanations"/>: the planned offers' explanations as UTF-8 JSON, in their order (null: none stored).
    /// <paramref name="timings"/>, when given, gets the statement's and the explanations' share of the write.
    /// </summary>
    public static async Task<HashSet<Guid>> WriteAsync(DispatchDbContext db, IReadOnlyList<OrderRecord> waiting, IReadOnlyList<PlannedOffer> planned, Zones.ZoneFence fence,
        DateTimeOffset now, Task<byte[][]?> explanations, CancellationToken ct, BatchRoundTimings? timings = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var plannedIds = new HashSet<Guid>(planned.Count);
        foreach (var p in planned) plannedIds.Add(p.Order.Id);
        var moves = new List<BatchMove>(waiting.Count);
        foreach (var p in planned)
        {
            var triggers = p.Order.Status == OrderStatus.Paid ? StartAndOffer : Offer;
            moves.Add(new BatchMove(OrderHead.Of(p.Order), triggers, p.Note));
        }
        foreach (var o in waiting)
        {
            if (o.Status == OrderStatus.Paid && !plannedIds.Contains(o.Id)) moves.Add(new BatchMove(OrderHead.Of(o), Start, null));
        }
        if (moves.Count == 0) return [];
        var command = OrderTransitions.MoveManyCommand(moves, Actor, now, fence, new BatchFollowUp(OffersSql,
            new NpgsqlParameter("offer_ids", planned.Select(p => p.Offer.Id).ToArray()),
            new NpgsqlParameter("offer_orders", planned.Select(p => p.Order.Id).ToArray()),
            new NpgsqlParameter("offer_couriers", planned.Select(p => p.Offer.CourierId).ToArray()),
            new NpgsqlParameter("offer_distances", planned.Select(p => p.Offer.DistanceMetres).ToArray()),
            new NpgsqlParameter("offer_costs", planned.Select(p => p.Offer.Cost).ToArray()),
            new NpgsqlParameter("offer_expiries", planned.Select(p => p.Offer.ExpiresAt).ToArray()),
            new NpgsqlParameter<int>("offer_status", (int)OfferStatus.Pending)));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var moved = new HashSet<Guid>(moves.Count);
        try
        {
            await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)tx.GetDbTransaction()) { BatchCommands = { command } };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) moved.Add(reader.GetGuid(0));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A courier got another pending offer meanwhile (a neighbouring zone's dispatcher): nothing of the round is kept,
            // and the next round, which reads who is busy again, offers these orders.
            await tx.RollbackAsync(ct);
            return [];
        }
        // Nothing moved: the fence was lost (another node leads the zone) or every order changed meanwhile.
        if (moved.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return [];
        }
        var offered = new HashSet<Guid>(planned.Count);
        foreach (var p in planned)
        {
            if (moved.Contains(p.Order.Id)) offered.Add(p.Order.Id);
        }
        if (timings is not null) timings.WriteStatementMilliseconds = watch.Elapsed.TotalMilliseconds;
        if (offered.Count > 0 && await explanations is { } json)
        {
            if (timings is not null) timings.WriteExplanationsWaitMilliseconds = watch.Elapsed.TotalMilliseconds - timings.WriteStatementMilliseconds;
            await CopyExplanationsAsync(connection, planned, json, offered, now, ct);
        }
        await tx.CommitAsync(ct);
        return offered;
    }

    /// <summary>
    /// The kept offers' explanations, one binary COPY inside the round's transaction, into a <c>json</c> column: PostgreSQL
    /// only checks the text, where <c>jsonb</c> parsed and rebuilt every value inside the round's time.
    /// </summary>
    private static async Task CopyExplanationsAsync(NpgsqlConnection connection, IReadOnlyList<PlannedOffer> planned, byte[][] json, HashSet<Guid> offered,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY dispatch_decisions (order_id, at, explanation) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < planned.Count; i++)
        {
            if (!offered.Contains(planned[i].Order.Id)) continue;
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(planned[i].Order.Id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(json[i], NpgsqlTypes.NpgsqlDbType.Json, ct);
        }
        await writer.CompleteAsync(ct);
    }
}
