using System.Text.Json.Serialization;
using Dispatch.Core.Matching;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The stored explanation's serializer, generated at build time: a batch round writes a thousand on a second core
/// while its moves run, without reflection. Zero terms (no wait, no lateness…) are left out; reading fills them back.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(CompactExplanation))]
internal sealed partial class ExplanationJsonContext : JsonSerializerContext;
