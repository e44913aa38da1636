namespace Dispatch.Core.Reports;

/// <summary>One offer that a courier answered or let expire (withdrawn and pending offers are no courier's answer).</summary>
/// <param name="At">when it was made</param>
public sealed record OfferFact(string Zone, DateTimeOffset At, bool Accepted);
