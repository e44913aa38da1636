using System.Buffers.Binary;

namespace Dispatch.Core.Orders;

/// <summary>
/// Where a page of orders (newest first) stopped: the last order's (created_at, id). The next page holds the orders strictly
/// after it in that order, so rows inserted meanwhile (newer) never shift a page. Opaque to clients: base64url of the
/// creation time (UTC ticks, 8 bytes) and the id (16 bytes).
/// </summary>
public readonly record struct OrderCursor(DateTimeOffset CreatedAt, Guid Id)
{
    private const int Length = 24;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.UtcTicks);
        Id.TryWriteBytes(bytes[8..]);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The cursor a page handed out, or null when the text is not one (edited, truncated, from elsewhere).</summary>
    public static OrderCursor? Decode(string? text)
    {
        if (text is null || text.Length != 32) return null;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        Span<byte> bytes = stackalloc byte[Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != Length) return null;
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) return null;
        return new OrderCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[8..]));
    }
}
