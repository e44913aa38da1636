using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// How a decision's explanation is stored (dispatch_decisions.explanation, a <c>bytea</c> column): its
/// <see cref="CompactExplanation"/> as JSON, deflated (raw deflate, fastest level) behind a format byte
/// (<see cref="Deflated"/>): ~0.55 kB instead of ~1.5 kB of JSON text, which a batch round wrote a thousand of and
/// PostgreSQL checked as <c>json</c> (docs/benchmarks.md, "Batch tick"). PostgreSQL's own compression starts at ~2 kB,
/// so it never touched them. Rows stored before are their JSON text's UTF-8 bytes (the migration to bytea converted
/// them), the oldest the whole <see cref="DispatchExplanation"/> (recognised by its "Eligible" list); both are read and
/// compacted the same way.
/// </summary>
internal static class ExplanationJson
{
    /// <summary>The first byte of a deflated explanation; a row stored as JSON text starts with '{' (or white space).</summary>
    internal const byte Deflated = 1;

    /// <summary>The rows stored before compact explanations: every ranked candidate, zero terms left out.</summary>
    private static readonly JsonSerializerOptions Legacy = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary><paramref name="explanation"/> compacted, as stored; <paramref name="costTerms"/>: <see cref="DispatchExplanation.CostTerms"/> of the policy that ranked.</summary>
    public static byte[] Write(DispatchExplanation explanation, string costTerms)
    {
        var buffer = new MemoryStream(640);
        buffer.WriteByte(Deflated);
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(deflate, CompactExplanation.From(explanation, costTerms), ExplanationJsonContext.Default.CompactExplanation);
        }
        return buffer.ToArray();
    }

    /// <summary>A stored explanation (<see cref="Write"/>'s, or an older row's JSON text) as the board reads it.</summary>
    public static CompactExplanation Read(byte[] stored, string costTerms)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length > 0 && stored[0] == Deflated)
        {
            using var deflate = new DeflateStream(new MemoryStream(stored, 1, stored.Length - 1), CompressionMode.Decompress);
            return JsonSerializer.Deserialize(deflate, ExplanationJsonContext.Default.CompactExplanation) ?? throw new JsonException("A stored explanation is empty.");
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
