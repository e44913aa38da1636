using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>The API's JSON options (camelCase, enums as camelCase strings) for bodies read by hand.</summary>
internal sealed class JsonSerializerOptionsHolder(IOptions<JsonOptions> options)
{
    public JsonSerializerOptions Options => options.Value.SerializerOptions;
}
