using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Orders;
using Npgsql;

namespace Dispatch.Server.Dispatching;

/// <summary>An offer an order had before: who was asked, and how and when they answered.</summary>
internal sealed record PastOffer(Guid CourierId, OfferStatus Status, DateTimeOffset? RespondedAt);

/// <summary>An order waiting for a batch round, with the offers it had before (decliners, couriers who let it run out).</summary>
internal sealed record WaitingOrder(OrderRecord Order, List<PastOffer> Offers);

/// <summary>
/// A batch round's first read: a zone's paid and dispatching orders without a pending offer, oldest first, with their past
/// offers, in one statement read by hand. Only what dispatch, the offer and its push use (not the customer, items, PIN,
/// ratings…), and the points as their bytes (<see cref="PointBytes"/>): the same query through EF Core cost a round of a
/// thousand orders several milliseconds of materialising and 3–4 MB of garbage more (docs/benchmarks.md, "Batch tick").
/// </summary>
internal static class WaitingOrders
{
    private static readonly string Sql = $"""
        select o.id, o.number, o.kind, o.requires_cold_chain, o.status,
               o.pickup::bytea, o.pickup_address, o.dropoff::bytea, o.dropoff_address,
               o.promised_at, o.ready_at, o.price_cap_cents, o.stops, o.created_at, o.merchant_id, o.version,
               f.courier_id, f.status, f.responded_at
        from (
            select * from orders o
            where o.is_open and o.zone = $1 and o.status in ({(int)OrderStatus.Paid}, {(int)OrderStatus.Dispatching})
              and not exists (select 1 from offers p where p.order_id = o.id and p.status = {(int)OfferStatus.Pending})
            order by o.created_at
            limit $2) o
        left join offers f on f.order_id = o.id
        order by o.created_at, o.id
        """;

    public static async Task<List<WaitingOrder>> ReadAsync(NpgsqlConnection connection, string zone, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = zone });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<WaitingOrder>();
        WaitingOrder? current = null;
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (current?.Order.Id != id)
            {
                current = new WaitingOrder(new OrderRecord
                {
                    Id = id,
                    Number = reader.GetInt64(1),
                    Zone = zone,
                    Kind = (OrderKind)reader.GetInt32(2),
                    RequiresColdChain = reader.GetBoolean(3),
                    Status = (OrderStatus)reader.GetInt32(4),
                    Pickup = OrderEvents.ToPoint(PointBytes.Read(reader, 5)),
                    PickupAddress = reader.GetString(6),
                    Dropoff = OrderEvents.ToPoint(PointBytes.Read(reader, 7)),
                    DropoffAddress = reader.GetString(8),
                    PromisedAt = reader.GetFieldValue<DateTimeOffset>(9),
                    ReadyAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                    PriceCapCents = reader.IsDBNull(11) ? null : reader.GetInt32(11),
                    Stops = reader.IsDBNull(12) ? null : reader.GetString(12),
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(13),
                    // The batch's moves are conditional on the version, and their outbox events name the merchant.
                    MerchantId = reader.GetString(14),
                    Version = reader.GetInt32(15),
                }, []);
                result.Add(current);
            }
            if (reader.IsDBNull(16)) continue;
            current.Offers.Add(new PastOffer(reader.GetGuid(16), (OfferStatus)reader.GetInt32(17),
                reader.IsDBNull(18) ? null : reader.GetFieldValue<DateTimeOffset>(18)));
        }
        return result;
    }
}
