namespace Dispatch.Server.Webhooks;

/// <summary>
/// How a result is recorded: <paramref name="State"/> is the delivery's new state (0 pending again, due at
/// <paramref name="NextAttemptAt"/>; 1 delivered; 2 dead).
/// </summary>
internal readonly record struct DeliveryOutcome(DeliveryResult Result, int State, DateTimeOffset NextAttemptAt);
