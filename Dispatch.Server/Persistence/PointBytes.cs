using System.Buffers.Binary;
using Dispatch.Core.Geo;
using Npgsql;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A PostGIS point column read as its own bytes (<c>column::bytea</c>: extended WKB, what PostGIS stores) and decoded
/// here. For reads of thousands of rows: PostgreSQL does no work per point (ST_X/ST_Y of a geography cost it ~0.8 µs a
/// call, four per order row) and no NetTopologySuite geometry is built.
/// </summary>
internal static class PointBytes
{
    private const uint HasZ = 0x80000000, HasM = 0x40000000, HasSrid = 0x20000000, Point = 1;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>The point in column <paramref name="ordinal"/>, selected as <c>point::bytea</c>.</summary>
    public static LatLon Read(NpgsqlDataReader reader, int ordinal)
    {
        var buffer = t_buffer ??= new byte[32];
        var length = (int)reader.GetBytes(ordinal, 0, buffer, 0, buffer.Length);
        return Decode(buffer.AsSpan(0, length));
    }

    /// <summary>A 2-D point in (extended) WKB, either byte order, with or without an SRID.</summary>
    public static LatLon Decode(ReadOnlySpan<byte> wkb)
    {
        if (wkb.Length < 21) throw new InvalidDataException($"A WKB point has at least 21 bytes, this one {wkb.Length}.");
        var little = wkb[0] == 1;
        var type = little ? BinaryPrimitives.ReadUInt32LittleEndian(wkb[1..]) : BinaryPrimitives.ReadUInt32BigEndian(wkb[1..]);
        if ((type & ~HasSrid) != Point || (type & (HasZ | HasM)) != 0) throw new InvalidDataException($"Not a 2-D WKB point (type 0x{type:x8}).");
        var at = (type & HasSrid) != 0 ? 9 : 5;
        if (wkb.Length < at + 16) throw new InvalidDataException($"A WKB point with this header has {at + 16} bytes, this one {wkb.Length}.");
        var x = little ? BinaryPrimitives.ReadDoubleLittleEndian(wkb[at..]) : BinaryPrimitives.ReadDoubleBigEndian(wkb[at..]);
        var y = little ? BinaryPrimitives.ReadDoubleLittleEndian(wkb[(at + 8)..]) : BinaryPrimitives.ReadDoubleBigEndian(wkb[(at + 8)..]);
        return new LatLon(y, x);
    }
}
