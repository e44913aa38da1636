using System.Buffers;
using Dispatch.Core.Couriers;
using MessagePack;

namespace Dispatch.Server.Fleet;

/// <summary>
/// The courier-moves channel's message: one per Redis write batch (a whole fix flush is one message), a MessagePack array
/// of [change, id (16 bytes), zone, state or nil] — the state in <see cref="SnapshotCodec"/>'s form, as stored.
/// </summary>
internal static class CourierMovesCodec
{
    public static byte[] Encode(IReadOnlyCollection<CourierMove> moves)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (moves.Count * 120));
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(moves.Count);
        var id = new byte[16];
        foreach (var move in moves)
        {
            writer.WriteArrayHeader(4);
            writer.Write((int)move.Change);
            move.CourierId.TryWriteBytes(id);
            writer.Write(id);
            writer.Write(move.Zone);
            if (move.State is null) writer.WriteNil();
            else writer.Write(move.State);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The changes in a message, states decoded; throws <see cref="MessagePackSerializationException"/> on a malformed one.</summary>
    public static List<(CourierChange Change, Guid CourierId, string Zone, CourierSnapshot? State)> Decode(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        var count = reader.ReadArrayHeader();
        var result = new List<(CourierChange, Guid, string, CourierSnapshot?)>(count);
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadArrayHeader() != 4) throw new MessagePackSerializationException("A courier move has 4 fields.");
            var change = (CourierChange)reader.ReadInt32();
            var id = reader.ReadBytes() is { Length: 16 } raw ? new Guid(raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray()) : throw new MessagePackSerializationException("A courier move's id is not 16 bytes.");
            var zone = reader.ReadString() ?? "";
            var state = reader.TryReadNil() ? null : reader.ReadBytes() is { } bytes ? SnapshotCodec.Decode(bytes) : null;
            result.Add((change, id, zone, state));
        }
        return result;
    }
}
