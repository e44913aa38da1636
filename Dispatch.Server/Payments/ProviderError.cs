namespace Dispatch.Server.Payments;

/// <summary>Why a provider gave no answer; converts to any <see cref="ProviderResult{T}"/>.</summary>
internal readonly record struct ProviderError(string Message);
