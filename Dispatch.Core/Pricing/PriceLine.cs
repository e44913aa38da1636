namespace Dispatch.Core.Pricing;

/// <summary>One line of a price breakdown: a stable code (base, distance, stops, coldChain, night, rush, minimum), words, cents.</summary>
public sealed record PriceLine(string Code, string Label, int AmountCents);
