using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>Every Redis key the server uses, in one place. The prefix separates deployments and test classes.</summary>
public sealed class RedisKeys(IOptions<DispatchOptions> options)
{
    private readonly string _prefix = options.Value.RedisPrefix;

    /// <summary>GEO set of online couriers in a zone; member = courier id ("N" format).</summary>
    public RedisKey ZoneCouriers(string zone) => $"{_prefix}:{zone}:couriers";

    /// <summary>Sorted set of courier id → last-seen time (unix milliseconds) in a zone.</summary>
    public RedisKey ZoneLastSeen(string zone) => $"{_prefix}:{zone}:lastseen";

    /// <summary>A courier's live state, MessagePack-encoded <see cref="Dispatch.Core.Couriers.CourierSnapshot"/>.</summary>
    public RedisKey CourierState(Guid courierId) => $"{_prefix}:courier:{courierId:N}";

    /// <summary>Hash of zone → dispatch strategy (JSON) set by an admin at run time.</summary>
    public RedisKey ZoneStrategies() => $"{_prefix}:zone-strategies";

    /// <summary>Pub/sub channel of courier moves (<see cref="CourierMovesCodec"/>): what each node's <see cref="ZoneCourierCache"/> is fed by.</summary>
    public RedisChannel CourierMoves() => RedisChannel.Literal($"{_prefix}:courier-moves");

    /// <summary>Pub/sub channel of couriers an admin suspended (courier id, N format): the node holding their connection closes it.</summary>
    public RedisChannel CourierEvictions() => RedisChannel.Literal($"{_prefix}:courier-evictions");

    /// <summary>Pub/sub channel of courier ids whose orders changed on a node they are not connected to (<see cref="Couriers.CourierOrdersSync"/>).</summary>
    public RedisChannel CourierOrders() => RedisChannel.Literal($"{_prefix}:courier-orders");

    /// <summary>Sorted set of the nodes with a customer watching an order: node id → until when (unix milliseconds).</summary>
    public RedisKey OrderWatchers(Guid orderId) => $"{_prefix}:watch:{orderId:N}";

    /// <summary>Pub/sub channel of "order id N-format:node id": that node has a customer watching the order from now on.</summary>
    public RedisChannel WatchAdded() => RedisChannel.Literal($"{_prefix}:watch-added");

    /// <summary>A nonce a merchant key has signed with (SET NX with a TTL past the timestamp window): a second use is a replay.</summary>
    public RedisKey RequestNonce(string keyId, string nonce) => $"{_prefix}:nonce:{keyId}:{nonce}";

    /// <summary>A street vector tile's bytes ("{z}/{x}/{y}"), under the stamp of the road networks it was cut from.</summary>
    public RedisKey StreetTile(string stamp, string tile) => $"{_prefix}:tile:{stamp}:{tile}";

    public static RedisValue Member(Guid courierId) => courierId.ToString("N");
}
