using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// How a decision's explanation is stored (dispatch_decisions.explanation, a <c>bytea</c> column): its
/// <see cref="CompactExplanation"/> packed by <see cref="ExplanationPack"/> behind a format byte (<see cref="Packed"/>), ~0.56 kB in a batch round.
/// Rows stored before are read too: Brotli-compressed JSON (<see cref="Compressed"/>, ~0.6 kB, which cost a batch round ten
/// times the CPU to write), their JSON text's UTF-8 bytes (the migration to bytea converted them), the oldest the whole
/// <see cref="DispatchExplanation"/> (recognised by its "Eligible" list); all are compacted the same way.
/// </summary>
internal static class StoredExplanation
{
    /// <summary>The first byte of a Brotli-compressed JSON explanation (written until packing replaced it).</summary>
    internal const byte Compressed = 1;

    /// <summary>The first byte of a packed explanation; a row stored as JSON text starts with '{' (or white space).</summary>
    internal const byte Packed = 2;

    /// <summary>The rows stored before compact explanations: every ranked candidate, zero terms left out.</summary>
    private static readonly JsonSerializerOptions Legacy = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary><paramref name="explanation"/> compacted, as stored; <paramref name="costTerms"/>: <see cref="DispatchExplanation.CostTerms"/> of the policy that ranked.</summary>
    public static byte[] Write(DispatchExplanation explanation, string costTerms) =>
        ExplanationPack.Write(CompactExplanation.From(explanation, costTerms), Packed);

    /// <summary>A stored explanation (<see cref="Write"/>'s, or an older row's JSON text) as the board reads it.</summary>
    public static CompactExplanation Read(byte[] stored, string costTerms)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Length > 0 && stored[0] == Packed) return ExplanationPack.Read(stored.AsMemory(1));
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
