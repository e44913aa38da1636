namespace Dispatch.Server.Webhooks;

/// <summary>Body of POST /api/webhooks/{id}/rotate-secret (optional): how long the old secret keeps signing, seconds (default Webhooks:SecretOverlapSeconds).</summary>
public sealed record RotateSecretRequest(int? OverlapSeconds = null);
