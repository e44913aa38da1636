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
/// Writes a whole batch round in one transaction with set-based statements, instead of a transaction per order: the
/// paid orders' move to Dispatching, the matched orders' move to Offered, and their events and offers.
/// Every move is conditional on the status the round read (<c>where id = any(…) and status = … returning id</c>), so an
/// order that changed meanwhile (cancelled, assigned by a dispatcher, offered by another node) is left alone and gets
/// no offer, exactly as the per-order conditional updates did. The offers' explanations (dispatch_decisions) are copied in
/// the same transaction, serialised on another thread while the moves run: the board never sees an offer without its
/// reasons, and no crash between commit and a later write loses them.
/// </summary>
internal static class BatchOfferWriter
{
    private const string Actor = "dispatch";

    /// <summary>
    /// Returns the orders that were moved to Offered, whose offers were stored; the others were left as they are.
    /// <paramref name="explanations"/>: the planned offers' explanations as UTF-8 JSON, in their order (null: none stored).
    /// </summary>
    public static async Task<HashSet<Guid>> WriteAsync(DispatchDbContext db, IReadOnlyList<OrderRecord> waiting, IReadOnlyList<PlannedOffer> planned, Zones.ZoneFence fence,
        DateTimeOffset now, Task<byte[][]?> explanations, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)tx.GetDbTransaction();
        // A node whose lease was taken over (it was paused past its lease) writes nothing.
        if (!await fence.HoldAsync(connection, transaction, ct)) return [];

        // Each order's row is updated once (every index entry of a new row version costs, GiST ones most): a matched paid
        // order goes straight to Offered — both transitions still get their events —, an unmatched one to Dispatching.
        // The three moves touch disjoint orders: one round trip for all three.
        var plannedIds = planned.Select(p => p.Order.Id).ToHashSet();
        var paid = waiting.Where(o => o.Status == OrderStatus.Paid).ToList();
        var dispatching = waiting.Where(o => o.Status == OrderStatus.Dispatching && plannedIds.Contains(o.Id)).Select(o => o.Id).ToArray();
        var moves = await MoveAsync(connection, transaction, ct,
            ([.. paid.Where(o => !plannedIds.Contains(o.Id)).Select(o => o.Id)], OrderStatus.Paid, [OrderTrigger.StartDispatch]),
            ([.. paid.Where(o => plannedIds.Contains(o.Id)).Select(o => o.Id)], OrderStatus.Paid, [OrderTrigger.StartDispatch, OrderTrigger.Offer]),
            (dispatching, OrderStatus.Dispatching, [OrderTrigger.Offer]));
        var (started, paidOffered, offered) = (moves[0], moves[1], moves[2]);
        started.UnionWith(paidOffered);
        offered.UnionWith(paidOffered);
        var kept = planned.Where(p => offered.Contains(p.Order.Id)).ToList();

        // The moves' order_events and outbox rows (a paid order offered at once has both of its moves, in order) and the
        // offers: one more round trip.
        var recorded = new List<BatchMove>(started.Count + kept.Count);
        recorded.AddRange(waiting.Where(o => started.Contains(o.Id)).Select(o => new BatchMove(OrderHead.Of(o), OrderStatus.Paid, OrderStatus.Dispatching, null)));
        recorded.AddRange(kept.Select(p => new BatchMove(OrderHead.Of(p.Order), OrderStatus.Dispatching, OrderStatus.Offered, p.Note)));
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (recorded.Count > 0)
        {
            var (events, outbox) = OrderTransitions.RecordManyCommands(recorded, Actor, now);
            batch.BatchCommands.Add(events);
            batch.BatchCommands.Add(outbox);
        }
        if (kept.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                "insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost) " +
                "select id, order_id, courier_id, $7, $8, expires_at, 0, distance, cost " +
                "from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::float8[], $5::float8[], $6::timestamptz[]) as u(id, order_id, courier_id, distance, cost, expires_at)",
                kept.Select(p => p.Offer.Id).ToArray(), kept.Select(p => p.Order.Id).ToArray(), kept.Select(p => p.Offer.CourierId).ToArray(),
                kept.Select(p => p.Offer.DistanceMetres).ToArray(), kept.Select(p => p.Offer.Cost).ToArray(),
                kept.Select(p => p.Offer.ExpiresAt).ToArray(), (int)OfferStatus.Pending, now));
        }
        try
        {
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A courier got another pending offer meanwhile (a neighbouring zone's dispatcher): nothing of the round is kept,
            // and the next round, which reads who is busy again, offers these orders.
            await tx.RollbackAsync(ct);
            return [];
        }
        if (kept.Count > 0 && await explanations is { } json) await CopyExplanationsAsync(connection, planned, json, offered, now, ct);
        await tx.CommitAsync(ct);
        return offered;
    }

    /// <summary>The moves (<see cref="OrderTransitions.MoveManyCommand"/>) in one batch; returns, per move, the orders moved.</summary>
    private static async Task<HashSet<Guid>[]> MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct,
        params (Guid[] Ids, OrderStatus From, OrderTrigger[] Triggers)[] moves)
    {
        var moved = new HashSet<Guid>[moves.Length];
        await using var batch = new NpgsqlBatch(connection, transaction);
        var sent = new List<int>();
        for (var m = 0; m < moves.Length; m++)
        {
            moved[m] = [];
            if (moves[m].Ids.Length == 0) continue;
            batch.BatchCommands.Add(OrderTransitions.MoveManyCommand(moves[m].Ids, moves[m].From, moves[m].Triggers));
            sent.Add(m);
        }
        if (sent.Count == 0) return moved;
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var m in sent)
        {
            while (await reader.ReadAsync(ct)) moved[m].Add(reader.GetGuid(0));
            await reader.NextResultAsync(ct);
        }
        return moved;
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

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
