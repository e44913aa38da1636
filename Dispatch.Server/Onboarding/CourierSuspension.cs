namespace Dispatch.Server.Onboarding;

/// <summary>
/// A suspension stored, with its offers withdrawn and orders released; <paramref name="EvictionDeferred"/>: Redis was
/// unreachable, so the courier's open connections are closed when it returns rather than now.
/// </summary>
internal sealed record CourierSuspension(CourierReviewView Courier, bool EvictionDeferred);
