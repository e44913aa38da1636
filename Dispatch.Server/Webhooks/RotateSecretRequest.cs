namespace Dispatch.Server.Webhooks;

/// <summary>Body of POST /api/webhooks/{id}/rotate-secret (optional): how long the old secret keeps signing, seconds (default Webhooks:SecretOverlapSeconds).</summary>
internal sealed record RotateSecretRequest(int? OverlapSeconds = null);
