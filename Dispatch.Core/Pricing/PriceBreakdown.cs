namespace Dispatch.Core.Pricing;

/// <summary>A price: the lines in the order they were applied and their sum, integer cents of one currency.</summary>
public sealed record PriceBreakdown(string Currency, IReadOnlyList<PriceLine> Lines, int TotalCents);
