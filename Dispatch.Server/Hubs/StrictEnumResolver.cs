using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Dispatch.Server.Hubs;

/// <summary>
/// MessagePack hub arguments: enums by name only, as the JSON protocol reads them. SignalR's own resolver writes names too
/// but reads "1" (or any number in a string) as the value 1; this one refuses it. Everything else falls through.
/// </summary>
internal sealed class StrictEnumResolver : IFormatterResolver
{
    public static readonly StrictEnumResolver Instance = new();

    /// <summary><paramref name="options"/> with this resolver asked first.</summary>
    public static MessagePackSerializerOptions Over(MessagePackSerializerOptions options) =>
        options.WithResolver(CompositeResolver.Create(Instance, options.Resolver));

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = typeof(T).IsEnum
            ? (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(StrictEnumFormatter<>).MakeGenericType(typeof(T)))!
            : null;
    }
}
