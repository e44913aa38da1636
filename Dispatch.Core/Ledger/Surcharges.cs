namespace Dispatch.Core.Ledger;

/// <summary>
/// What a courier earns on top of the delivery fee, minor units: <paramref name="ColdChainCents"/> for an order that needs
/// the cold chain, <paramref name="ErrandCents"/> for a buy-for-me or multi-stop errand. Zero switches one off.
/// </summary>
public sealed record Surcharges(long ColdChainCents, long ErrandCents);
