namespace Dispatch.Courier.Simulation;

/// <summary>What a simulated courier will do with an offer, after thinking for <paramref name="Delay"/>.</summary>
internal readonly record struct OfferDecision(bool Accept, TimeSpan Delay, string? DeclineReason);
