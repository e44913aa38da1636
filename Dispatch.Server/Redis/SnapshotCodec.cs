using Dispatch.Core.Couriers;
using MessagePack;
using MessagePack.Resolvers;

namespace Dispatch.Server.Redis;

/// <summary>MessagePack encoding of courier snapshots stored in Redis.</summary>
public static class SnapshotCodec
{
    private static readonly MessagePackSerializerOptions Options = ContractlessStandardResolver.Options;

    public static byte[] Encode(CourierSnapshot snapshot) => MessagePackSerializer.Serialize(snapshot, Options);

    public static CourierSnapshot? Decode(byte[]? bytes) =>
        bytes is null || bytes.Length == 0 ? null : MessagePackSerializer.Deserialize<CourierSnapshot>(bytes, Options);
}
