namespace Dispatch.Core.Contracts;

/// <summary>What a courier earned in a local day or week starting <paramref name="Start"/> (fees, surcharges, reimbursements, adjustments), minor units.</summary>
public sealed record EarningsPeriod(DateOnly Start, long EarnedCents);
