using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// How a decision's explanation is stored (dispatch_decisions.explanation, a <c>bytea</c> column): its
/// <see cref="CompactExplanation"/> as JSON, Brotli-compressed (quality 2, 1 kB window) behind a format byte
/// (<see cref="Compressed"/>): ~0.56 kB instead of ~1.5 kB of JSON text, which a batch round wrote a thousand of and
/// PostgreSQL checked as <c>json</c> (docs/benchmarks.md, "Batch tick"). PostgreSQL's own compression starts at ~2 kB,
/// so it never touched them. Brotli at quality 2 took the CPU of deflate's fastest level (~9 µs an explanation) for
/// 558 bytes against 704. Rows stored before are their JSON text's UTF-8 bytes (the migration to bytea converted
/// them), the oldest the whole <see cref="DispatchExplanation"/> (recognised by its "Eligible" list); both are read and
/// compacted the same way.
/// </summary>
internal static class ExplanationJson
{
    /// <summary>The first byte of a compressed explanation; a row stored as JSON text starts with '{' (or white space).</summary>
    internal const byte Compressed = 1;

    private const int Quality = 2;

    private const int Window = 10;

    /// <summary>The rows stored before compact explanations: every ranked candidate, zero terms left out.</summary>
    private static readonly JsonSerializerOptions Legacy = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary><paramref name="explanation"/> compacted, as stored; <paramref name="costTerms"/>: <see cref="DispatchExplanation.CostTerms"/> of the policy that ranked.</summary>
    public static byte[] Write(DispatchExplanation explanation, string costTerms)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(CompactExplanation.From(explanation, costTerms), ExplanationJsonContext.Default.CompactExplanation);
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(json.Length) + 1);
        try
        {
            buffer[0] = Compressed;
            if (!BrotliEncoder.TryCompress(json, buffer.AsSpan(1), out var written, Quality, Window))
                throw new InvalidOperationException("A dispatch explanation did not fit its compressed bound.");
            return buffer[..(written + 1)];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A stored explanation (<see cref="Write"/>'s, or an older row's JSON text) as the board reads it.</summary>
    public static CompactExplanation Read(byte[] stored, string costTerms)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length > 0 && stored[0] == Compressed)
        {
            using var brotli = new BrotliStream(new MemoryStream(stored, 1, stored.Length - 1), CompressionMode.Decompress);
            return JsonSerializer.Deserialize(brotli, ExplanationJsonContext.Default.CompactExplanation) ?? throw new JsonException("A stored explanation is empty.");
        }
        using (var document = JsonDocument.Parse(stored))
        {
            if (document.RootElement.TryGetProperty(nameof(DispatchExplanation.Eligible), out _))
            {
                var legacy = JsonSerializer.Deserialize<DispatchExplanation>(stored, Legacy) ?? throw new JsonException("A stored explanation is empty.");
                return CompactExplanation.From(legacy, costTerms);
            }
        }
        return JsonSerializer.Deserialize(stored, ExplanationJsonContext.Default.CompactExplanation) ?? throw new JsonException("A stored explanation is empty.");
    }
}
