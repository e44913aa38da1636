namespace Dispatch.Server.Webhooks;

/// <summary>The answer to a rotation: the new secret, shown only here, and until when the old one still signs beside it.</summary>
internal sealed record RotatedSecret(Guid Id, string Secret, DateTimeOffset PreviousSecretValidUntil);
