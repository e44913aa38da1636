namespace Dispatch.Server.Common;

/// <summary>A value or a <see cref="Failure"/>.</summary>
internal readonly record struct Outcome<T>(T? Value, Failure? Failure)
{
    public bool Ok => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
