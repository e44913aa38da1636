using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// How a decision's explanation is stored (dispatch_decisions.explanation): JSON without the zero and null terms most
/// candidates have (no wait, no lateness…), which keeps a batch round's thousand explanations about half as large;
/// reading fills the missing terms back with zero.
/// </summary>
public static class ExplanationJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    public static string Write(DispatchExplanation explanation) => JsonSerializer.Serialize(explanation, Options);

    public static DispatchExplanation Read(string json) =>
        JsonSerializer.Deserialize<DispatchExplanation>(json, Options) ?? throw new JsonException("A stored explanation is empty.");
}
