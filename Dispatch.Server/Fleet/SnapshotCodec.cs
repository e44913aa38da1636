using System.Buffers;
using Dispatch.Core.Couriers;
using MessagePack;
using MessagePack.Resolvers;

namespace Dispatch.Server.Fleet;

/// <summary>
/// MessagePack encoding of courier snapshots stored in Redis: a 12-item array in field order (id as 16 bytes, times as
/// UTC ticks), written and read by hand. A batch round decodes every courier of its zone, and the contractless map
/// this replaced (field names in every value) cost about 4 µs a courier against a fraction of one here. Snapshots
/// still in the old map form (written before an upgrade) are read as before.
/// </summary>
internal static class SnapshotCodec
{
    private const int Fields = 12;
    private static readonly MessagePackSerializerOptions Legacy = ContractlessStandardResolver.Options;

    public static byte[] Encode(CourierSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(Fields);
        writer.Write(snapshot.CourierId.ToByteArray());
        writer.Write(snapshot.Zone);
        writer.Write(snapshot.Lat);
        writer.Write(snapshot.Lon);
        writer.Write(snapshot.At.UtcTicks);
        writer.Write((int)snapshot.Equipment);
        writer.Write((int)snapshot.Vehicle);
        writer.Write(snapshot.Capacity);
        writer.Write(snapshot.ActiveOrders);
        writer.Write((int)snapshot.Activity);
        WriteTime(ref writer, snapshot.ShiftEndsAt);
        WriteTime(ref writer, snapshot.OnlineSince);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static CourierSnapshot? Decode(byte[]? bytes) =>
        bytes is null || bytes.Length == 0 ? null : Decode(new ReadOnlySequence<byte>(bytes));

    public static CourierSnapshot? Decode(ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsEmpty) return null;
        var reader = new MessagePackReader(bytes);
        if (reader.NextMessagePackType == MessagePackType.Map) return MessagePackSerializer.Deserialize<CourierSnapshot>(bytes, Legacy);
        var count = reader.ReadArrayHeader();
        if (count != Fields) throw new MessagePackSerializationException($"A courier snapshot has {Fields} fields, this one {count}.");
        var id = reader.ReadBytes() is { Length: 16 } raw ? new Guid(raw.IsSingleSegment ? raw.FirstSpan : raw.ToArray()) : throw new MessagePackSerializationException("A courier snapshot's id is not 16 bytes.");
        return new CourierSnapshot(
            id,
            ReadZone(ref reader),
            reader.ReadDouble(),
            reader.ReadDouble(),
            new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
            (Equipment)reader.ReadInt32(),
            (Vehicle)reader.ReadInt32(),
            reader.ReadInt32(),
            reader.ReadInt32(),
            (CourierActivity)reader.ReadInt32(),
            ReadTime(ref reader),
            ReadTime(ref reader));
    }

    /// <summary>The zone decoded last on this thread, as UTF-8 and as the string handed out for it.</summary>
    [ThreadStatic]
    private static (byte[] Utf8, string Zone)? t_lastZone;

    /// <summary>
    /// The zone's name: a batch round decodes a zone's thousands of couriers in a row, all with the same zone, and they
    /// share one string instead of one each.
    /// </summary>
    private static string ReadZone(ref MessagePackReader reader)
    {
        if (reader.TryReadNil()) return "";
        if (!reader.TryReadStringSpan(out var utf8)) return reader.ReadString() ?? "";
        if (t_lastZone is { } last && utf8.SequenceEqual(last.Utf8)) return last.Zone;
        var zone = System.Text.Encoding.UTF8.GetString(utf8);
        t_lastZone = (utf8.ToArray(), zone);
        return zone;
    }

    private static void WriteTime(ref MessagePackWriter writer, DateTimeOffset? time)
    {
        if (time is { } t) writer.Write(t.UtcTicks);
        else writer.WriteNil();
    }

    private static DateTimeOffset? ReadTime(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
}
