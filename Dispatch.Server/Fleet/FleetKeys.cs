using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>The Redis keys and channel of the live courier picture. The prefix separates deployments and test classes.</summary>
internal sealed class FleetKeys(IOptions<DispatchOptions> options)
{
    private readonly string _prefix = options.Value.RedisPrefix;

    /// <summary>GEO set of online couriers in a zone; member = courier id ("N" format).</summary>
    public RedisKey ZoneCouriers(string zone) => $"{_prefix}:{zone}:couriers";

    /// <summary>Sorted set of courier id → last-seen time (unix milliseconds) in a zone.</summary>
    public RedisKey ZoneLastSeen(string zone) => $"{_prefix}:{zone}:lastseen";

    /// <summary>A courier's live state, MessagePack-encoded <see cref="Dispatch.Core.Couriers.CourierSnapshot"/>.</summary>
    public RedisKey CourierState(Guid courierId) => $"{_prefix}:courier:{courierId:N}";

    /// <summary>Pub/sub channel of courier moves (<see cref="CourierMovesCodec"/>): what each node's <see cref="ZoneCourierCache"/> is fed by.</summary>
    public RedisChannel CourierMoves() => RedisChannel.Literal($"{_prefix}:courier-moves");

    public static RedisValue Member(Guid courierId) => courierId.ToString("N");
}
