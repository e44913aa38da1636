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
/// Writes a batch round in one transaction, or a large one in two at once (halves of its orders): one statement (<see cref="OrderTransitions.MoveManyCommand"/>) moves the
/// waiting orders, each on the status and version the round read, while the zone's fence holds — a matched order to Offered
/// (a paid one through Dispatching, both moves in its timeline), an unmatched paid one to Dispatching —, records their events
/// and outbox rows, and inserts the moved orders' offers; the explanations (dispatch_decisions) follow by binary COPY,
/// serialised on another thread while the statement runs. An order that changed meanwhile (cancelled, assigned by a
/// dispatcher, offered by another node) is left alone and gets no offer; the board never sees an offer without its reasons
/// (they commit in the offer's transaction). Orders planned with one courier are one bundle offer (their rows share a bundle id).
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

    // As above when the part holds bundles (its window sorts the rows: ~0.8 ms per 1,000, paid only then). A bundle keeps the
    // rows of its orders that moved: two or more stay a bundle whose first row is its lead (the others follow, outside the
    // one-pending-offer index); one alone is an offer of one order.
    private const string BundledOffersSql = """
        insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost, bundle_id, bundle_follower)
        select f.id, f.order_id, f.courier_id, @offer_status, @m_at, f.expires_at, 0, f.distance, f.cost,
               case when count(*) over trip > 1 then f.bundle end, row_number() over (trip order by f.id) > 1
        from unnest(@offer_ids::uuid[], @offer_orders::uuid[], @offer_couriers::uuid[], @offer_distances::float8[], @offer_costs::float8[],
                    @offer_expiries::timestamptz[], @offer_bundles::uuid[]) as f(id, order_id, courier_id, distance, cost, expires_at, bundle)
        join moved on moved.id = f.order_id
        window trip as (partition by coalesce(f.bundle, f.id))
        """;

    /// <summary>
    /// Returns the orders that were moved to Offered, whose offers were stored; the others were left as they are.
    /// <paramref name="explanations"/>: the planned offers' explanations as stored (<see cref="StoredExplanation"/>), in their order (null: none stored).
    /// From <paramref name="splitFrom"/> moves (0: never) the round is written in two halves at once, each its own transaction
    /// on its own connection (the second from <paramref name="dbs"/>), so PostgreSQL works on both on two cores: each order's
    /// move stands alone (its own version, the fence checked by each half), and the halves offer disjoint couriers, so they
    /// never wait on each other until the end: with <paramref name="commitTogether"/> the first ready waits for the other, so
    /// the relay its commit wakes does not push its offers while the other half still writes. <paramref name="timings"/>,
    /// when given, gets the statement's and the explanations' share of the write (the slower half's).
    /// </summary>
    public static async Task<HashSet<Guid>> WriteAsync(DispatchDbContext db, IDbContextFactory<DispatchDbContext> dbs, int splitFrom, bool commitTogether,
        IReadOnlyList<OrderRecord> waiting, IReadOnlyList<PlannedOffer> planned, Zones.ZoneFence fence, DateTimeOffset now, Task<byte[][]?> explanations,
        CancellationToken ct, BatchRoundTimings? timings = null)
    {
        var plannedIds = new HashSet<Guid>(planned.Count);
        foreach (var p in planned) plannedIds.Add(p.Order.Id);
        var unmatched = new List<OrderRecord>();
        foreach (var o in waiting)
        {
            if (o.Status == OrderStatus.Paid && !plannedIds.Contains(o.Id)) unmatched.Add(o);
        }
        var count = planned.Count + unmatched.Count;
        if (count == 0) return [];
        if (splitFrom == 0 || count < splitFrom)
        {
            var whole = await WritePartAsync(db, new Part(planned, 0, planned.Count, unmatched, 0, unmatched.Count), fence, now, explanations, null, ct);
            Record(timings, whole, whole);
            return whole.Offered;
        }
        var (plannedHalf, unmatchedHalf) = (planned.Count / 2, unmatched.Count / 2);
        // A bundle's rows (side by side) stay in one half: the halves offer disjoint couriers.
        while (plannedHalf > 0 && plannedHalf < planned.Count && planned[plannedHalf].Offer.BundleId is { } bundle && planned[plannedHalf - 1].Offer.BundleId == bundle) plannedHalf++;
        await using var other = await dbs.CreateDbContextAsync(ct);
        var together = commitTogether ? new CommitTogether() : null;
        // The second half builds its statement on another thread while this one builds the first's.
        var second = Task.Run(() => WriteHalfAsync(other, new Part(planned, plannedHalf, planned.Count, unmatched, unmatchedHalf, unmatched.Count),
            fence, now, explanations, together?.Second, ct), ct);
        var first = WriteHalfAsync(db, new Part(planned, 0, plannedHalf, unmatched, 0, unmatchedHalf), fence, now, explanations, together?.First, ct);
        var written = await Task.WhenAll(first, second);
        Record(timings, written[0], written[1]);
        written[0].Offered.UnionWith(written[1].Offered);
        return written[0].Offered;
    }

    /// <summary>Two halves' meeting point before their commits; a half that ends without committing counts as ready.</summary>
    private sealed class CommitTogether
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public (TaskCompletionSource Mine, Task Other) First => (_first, _second.Task);

        public (TaskCompletionSource Mine, Task Other) Second => (_second, _first.Task);
    }

    /// <summary>The planned offers [<paramref name="From"/>, <paramref name="To"/>) and unmatched orders [<paramref name="UnmatchedFrom"/>, <paramref name="UnmatchedTo"/>) one transaction moves.</summary>
    private sealed record Part(IReadOnlyList<PlannedOffer> Planned, int From, int To, List<OrderRecord> Unmatched, int UnmatchedFrom, int UnmatchedTo);

    /// <summary>What one transaction kept, and how long its statement and its wait for the explanations took (ms).</summary>
    private sealed record Written(HashSet<Guid> Offered, double StatementMilliseconds, double ExplanationsWaitMilliseconds);

    private static void Record(BatchRoundTimings? timings, Written a, Written b)
    {
        if (timings is null) return;
        timings.WriteStatementMilliseconds = Math.Max(a.StatementMilliseconds, b.StatementMilliseconds);
        timings.WriteExplanationsWaitMilliseconds = Math.Max(a.ExplanationsWaitMilliseconds, b.ExplanationsWaitMilliseconds);
    }

    /// <summary>One half of a split write: whatever becomes of it, the other half no longer waits for it once it ends.</summary>
    private static async Task<Written> WriteHalfAsync(DispatchDbContext db, Part part, Zones.ZoneFence fence, DateTimeOffset now,
        Task<byte[][]?> explanations, (TaskCompletionSource Mine, Task Other)? together, CancellationToken ct)
    {
        try
        {
            return await WritePartAsync(db, part, fence, now, explanations, together, ct);
        }
        finally
        {
            // Ready, done or failed: the other half never waits on this one past here.
            together?.Mine.TrySetResult();
        }
    }

    private static async Task<Written> WritePartAsync(DispatchDbContext db, Part part, Zones.ZoneFence fence, DateTimeOffset now,
        Task<byte[][]?> explanations, (TaskCompletionSource Mine, Task Other)? together, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (planned, from, to) = (part.Planned, part.From, part.To);
        var n = to - from;
        var moves = new List<BatchMove>(n + part.UnmatchedTo - part.UnmatchedFrom);
        var (offerIds, offerOrders, offerCouriers) = (new Guid[n], new Guid[n], new Guid[n]);
        var (offerDistances, offerCosts, offerExpiries) = (new double[n], new double[n], new DateTimeOffset[n]);
        var offerBundles = new Guid?[n];
        for (var i = from; i < to; i++)
        {
            var p = planned[i];
            moves.Add(new BatchMove(OrderHead.Of(p.Order), p.Order.Status == OrderStatus.Paid ? StartAndOffer : Offer, p.Note));
            (offerIds[i - from], offerOrders[i - from], offerCouriers[i - from]) = (p.Offer.Id, p.Order.Id, p.Offer.CourierId);
            (offerDistances[i - from], offerCosts[i - from], offerExpiries[i - from]) = (p.Offer.DistanceMetres, p.Offer.Cost, p.Offer.ExpiresAt);
            offerBundles[i - from] = p.Offer.BundleId;
        }
        for (var i = part.UnmatchedFrom; i < part.UnmatchedTo; i++) moves.Add(new BatchMove(OrderHead.Of(part.Unmatched[i]), Start, null));
        if (moves.Count == 0) return new Written([], 0, 0);
        List<NpgsqlParameter> offers =
        [
            new NpgsqlParameter("offer_ids", offerIds), new NpgsqlParameter("offer_orders", offerOrders),
            new NpgsqlParameter("offer_couriers", offerCouriers), new NpgsqlParameter("offer_distances", offerDistances),
            new NpgsqlParameter("offer_costs", offerCosts), new NpgsqlParameter("offer_expiries", offerExpiries),
            new NpgsqlParameter<int>("offer_status", (int)OfferStatus.Pending),
        ];
        var bundled = Array.Exists(offerBundles, b => b is not null);
        if (bundled) offers.Add(new NpgsqlParameter("offer_bundles", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid) { Value = offerBundles });
        var command = OrderTransitions.MoveManyCommand(moves, Actor, now, fence, new BatchFollowUp(bundled ? BundledOffersSql : OffersSql, [.. offers]));

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
            // A courier got another pending offer meanwhile (a neighbouring zone's dispatcher): nothing of this transaction is
            // kept, and the next round, which reads who is busy again, offers these orders.
            await tx.RollbackAsync(ct);
            return new Written([], watch.Elapsed.TotalMilliseconds, 0);
        }
        // Nothing moved: the fence was lost (another node leads the zone) or every order changed meanwhile.
        if (moved.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return new Written([], watch.Elapsed.TotalMilliseconds, 0);
        }
        var offered = new HashSet<Guid>(n);
        for (var i = from; i < to; i++)
        {
            if (moved.Contains(planned[i].Order.Id)) offered.Add(planned[i].Order.Id);
        }
        var statement = watch.Elapsed.TotalMilliseconds;
        var wait = 0.0;
        if (offered.Count > 0 && await explanations is { } stored)
        {
            wait = watch.Elapsed.TotalMilliseconds - statement;
            await CopyExplanationsAsync(connection, part, stored, offered, now, ct);
        }
        if (together is { } t)
        {
            t.Mine.TrySetResult();
            // Cancelled (the node stopping), this half rolls back rather than wait for a half that may never have started.
            await t.Other.WaitAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new Written(offered, statement, wait);
    }

    /// <summary>
    /// The kept offers' explanations, one binary COPY inside the round's transaction, into a <c>bytea</c> column: packed
    /// (<see cref="StoredExplanation"/>), under a third of their JSON text's bytes, which PostgreSQL stores without checking.
    /// </summary>
    private static async Task CopyExplanationsAsync(NpgsqlConnection connection, Part part, byte[][] stored, HashSet<Guid> offered,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY dispatch_decisions (order_id, at, explanation) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = part.From; i < part.To; i++)
        {
            var id = part.Planned[i].Order.Id;
            if (!offered.Contains(id)) continue;
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(stored[i], NpgsqlTypes.NpgsqlDbType.Bytea, ct);
        }
        await writer.CompleteAsync(ct);
    }
}
