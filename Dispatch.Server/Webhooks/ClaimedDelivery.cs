namespace Dispatch.Server.Webhooks;

/// <summary>
/// A delivery a node claimed to send: <paramref name="Attempt"/> is its attempt number, which its result must match to be
/// recorded. <paramref name="PreviousSecretEncrypted"/> signs too until <paramref name="PreviousSecretUntil"/> (a rotation's overlap).
/// </summary>
public sealed record ClaimedDelivery(long Id, Guid EndpointId, Guid EventId, string EventType, string Body, int Attempt, string Url, string SecretEncrypted,
    string? PreviousSecretEncrypted = null, DateTimeOffset? PreviousSecretUntil = null);
