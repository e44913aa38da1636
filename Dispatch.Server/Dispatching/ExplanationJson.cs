using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// How a decision's explanation is stored (dispatch_decisions.explanation, a <c>json</c> column): its
/// <see cref="CompactExplanation"/>, about 1.5 kB, not the whole ranking. Rows stored before (the whole
/// <see cref="DispatchExplanation"/>, recognised by its "Eligible" list) are read and compacted the same way.
/// </summary>
internal static class ExplanationJson
{
    /// <summary>The rows stored before compact explanations: every ranked candidate, zero terms left out.</summary>
    private static readonly JsonSerializerOptions Legacy = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary><paramref name="explanation"/> compacted, as UTF-8 JSON; <paramref name="costTerms"/>: <see cref="DispatchExplanation.CostTerms"/> of the policy that ranked.</summary>
    public static byte[] Write(DispatchExplanation explanation, string costTerms) =>
        JsonSerializer.SerializeToUtf8Bytes(CompactExplanation.From(explanation, costTerms), ExplanationJsonContext.Default.CompactExplanation);

    /// <summary><see cref="Write"/> as text, for a row stored through EF.</summary>
    public static string WriteText(DispatchExplanation explanation, string costTerms) =>
        JsonSerializer.Serialize(CompactExplanation.From(explanation, costTerms), ExplanationJsonContext.Default.CompactExplanation);

    public static CompactExplanation Read(string json, string costTerms)
    {
        using (var document = JsonDocument.Parse(json))
        {
            if (document.RootElement.TryGetProperty(nameof(DispatchExplanation.Eligible), out _))
            {
                var legacy = JsonSerializer.Deserialize<DispatchExplanation>(json, Legacy) ?? throw new JsonException("A stored explanation is empty.");
                return CompactExplanation.From(legacy, costTerms);
            }
        }
        return JsonSerializer.Deserialize(json, ExplanationJsonContext.Default.CompactExplanation) ?? throw new JsonException("A stored explanation is empty.");
    }
}
