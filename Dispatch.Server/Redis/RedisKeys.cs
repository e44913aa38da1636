using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>
/// The Redis keys and channels of features other than the fleet (whose keys are <see cref="Fleet.FleetKeys"/>). The prefix
/// separates deployments and test classes.
/// </summary>
internal sealed class RedisKeys(IOptions<DispatchOptions> options)
{
    private readonly string _prefix = options.Value.RedisPrefix;

    /// <summary>Hash of zone → dispatch strategy (JSON) set by an admin at run time.</summary>
    public RedisKey ZoneStrategies() => $"{_prefix}:zone-strategies";

    /// <summary>Pub/sub channel of couriers an admin suspended (courier id, N format): the node holding their connection closes it.</summary>
    public RedisChannel CourierEvictions() => RedisChannel.Literal($"{_prefix}:courier-evictions");

    /// <summary>Pub/sub channel of courier ids whose orders changed on a node they are not connected to (published by <see cref="Fleet.FleetWriter"/> for the outbox relay's courier-load consumer, heard by the courier's node).</summary>
    public RedisChannel CourierOrders() => RedisChannel.Literal($"{_prefix}:courier-orders");

    /// <summary>Sorted set of the nodes with a customer watching an order: node id → until when (unix milliseconds).</summary>
    public RedisKey OrderWatchers(Guid orderId) => $"{_prefix}:watch:{orderId:N}";

    /// <summary>Pub/sub channel of "order id N-format:node id": that node has a customer watching the order from now on.</summary>
    public RedisChannel WatchAdded() => RedisChannel.Literal($"{_prefix}:watch-added");

    /// <summary>A nonce a merchant key has signed with (SET NX with a TTL past the timestamp window): a second use is a replay.</summary>
    public RedisKey RequestNonce(string keyId, string nonce) => $"{_prefix}:nonce:{keyId}:{nonce}";

    /// <summary>A street vector tile's bytes ("{z}/{x}/{y}"), under the stamp of the road networks it was cut from.</summary>
    public RedisKey StreetTile(string stamp, string tile) => $"{_prefix}:tile:{stamp}:{tile}";
}
