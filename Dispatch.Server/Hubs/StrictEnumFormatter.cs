using MessagePack;
using MessagePack.Formatters;

namespace Dispatch.Server.Hubs;

/// <summary>An enum as its name (as SignalR writes it); reading accepts a defined name only, never a number.</summary>
internal sealed class StrictEnumFormatter<T> : IMessagePackFormatter<T> where T : struct, Enum
{
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) => writer.Write(value.ToString());

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var name = reader.NextMessagePackType == MessagePackType.String ? reader.ReadString() : null;
        if (name is { Length: > 0 } && char.IsAsciiLetter(name[0]) && Enum.TryParse<T>(name, out var value) && Enum.IsDefined(value)) return value;
        throw new MessagePackSerializationException($"{typeof(T).Name} must be one of {string.Join(", ", Enum.GetNames<T>())}, by name.");
    }
}
