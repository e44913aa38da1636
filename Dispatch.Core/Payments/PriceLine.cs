namespace Dispatch.Core.Payments;

/// <summary>One line of an order's price: a code (<c>delivery</c>, <c>base</c>, <c>distance</c>…), a label and an amount in cents.</summary>
public sealed record PriceLine(string Code, string Label, int Cents);
