namespace Dispatch.Server.Payments;

/// <summary>A provider's answer or why there is none (refused, unreachable, bad signature).</summary>
internal readonly record struct ProviderResult<T>(T? Value, string? Error)
{
    public bool Ok => Error is null;

    public static implicit operator ProviderResult<T>(T value) => new(value, null);

    public static implicit operator ProviderResult<T>(ProviderError error) => new(default, error.Message);
}
