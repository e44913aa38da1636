using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Server.Common;
using MessagePack;

namespace Dispatch.Server.Hubs;

/// <summary>
/// Says which argument of a hub call did not bind and what it should be, by reading the refused frame again (only on
/// failure, never on the hot path): <c>SendFixes: argument fixes[0].lat must be a finite number ...</c>. Signatures come
/// from the shared hub interfaces, so a client learns the method's parameters by name.
/// </summary>
internal sealed class HubArgumentErrors(JsonSerializerOptions json, MessagePackSerializerOptions messagePack)
{
    private static readonly Dictionary<string, ParameterInfo[]> Methods = new[] { typeof(ICourierHub), typeof(ITrackingHub), typeof(IControlRoomHub) }
        .SelectMany(t => t.GetMethods())
        .ToDictionary(m => m.Name, m => m.GetParameters(), StringComparer.OrdinalIgnoreCase);

    /// <summary>"SendFixes(fixes: LocationFix[])", or the bare name for a method no hub has.</summary>
    public static string Signature(string method) => Methods.TryGetValue(method, out var parameters)
        ? $"{method}({string.Join(", ", parameters.Select(p => $"{p.Name}: {TypeName(p.ParameterType)}"))})"
        : method;

    /// <summary>The message for a call to <paramref name="method"/> whose frame (one message, as received) did not bind.</summary>
    public string Describe(string method, ReadOnlySequence<byte> frame, bool isJson)
    {
        if (!Methods.TryGetValue(method, out var parameters)) return $"There is no hub method '{method}' here.";
        string? problem;
        try
        {
            problem = isJson ? DescribeJson(parameters, frame) : DescribeMessagePack(parameters, frame);
        }
        catch (Exception ex) when (ex is JsonException or MessagePackSerializationException or EndOfStreamException or InvalidOperationException)
        {
            problem = null;
        }
        return $"{method}: {problem ?? "the arguments do not match"}. Call it as {Signature(method)}.";
    }

    private string? DescribeJson(ParameterInfo[] parameters, ReadOnlySequence<byte> frame)
    {
        var bytes = frame.ToArray();
        var end = Array.IndexOf(bytes, (byte)0x1e);
        using var document = JsonDocument.Parse(bytes.AsMemory(0, end < 0 ? bytes.Length : end));
        if (!document.RootElement.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Array)
            return "send the arguments as a list";
        if (arguments.GetArrayLength() != parameters.Length) return Count(parameters.Length, arguments.GetArrayLength());
        var i = 0;
        foreach (var argument in arguments.EnumerateArray())
        {
            var parameter = parameters[i++];
            try
            {
                argument.Deserialize(parameter.ParameterType, json);
            }
            catch (JsonException ex)
            {
                var (field, detail) = RequestErrors.Describe(ex);
                var name = field == RequestErrors.BodyField ? parameter.Name! : parameter.Name + (field.StartsWith('[') ? field : "." + field);
                return $"argument {name} {detail[(detail.IndexOf(" must ", StringComparison.Ordinal) is var at and >= 0 ? at + 1 : 0)..].TrimEnd('.')}";
            }
        }
        return null;
    }

    private string? DescribeMessagePack(ParameterInfo[] parameters, ReadOnlySequence<byte> frame)
    {
        // A varint length prefix, then [type, headers, invocationId, target, arguments, ...].
        var head = frame.Slice(0, Math.Min(5, frame.Length)).ToArray();
        var prefix = 0;
        while (prefix < head.Length && head[prefix] >= 0x80) prefix++;
        var reader = new MessagePackReader(frame.Slice(prefix + 1));
        reader.ReadArrayHeader();
        for (var skip = 0; skip < 4; skip++) reader.Skip();
        if (reader.NextMessagePackType != MessagePackType.Array) return "send the arguments as a list";
        var count = reader.ReadArrayHeader();
        if (count != parameters.Length) return Count(parameters.Length, count);
        foreach (var parameter in parameters)
        {
            try
            {
                MessagePackSerializer.Deserialize(parameter.ParameterType, ref reader, messagePack);
            }
            catch (MessagePackSerializationException)
            {
                return $"argument {parameter.Name} must be {RequestErrors.ExpectedOf(parameter.ParameterType)}";
            }
        }
        return null;
    }

    private static string Count(int expected, int got) => $"it takes {expected} argument(s), got {got}";

    private static string TypeName(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?" : type.Name;
}
