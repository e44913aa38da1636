namespace Dispatch.Core.Orders;

/// <summary>What is being delivered. Frozen goods need cold-chain equipment.</summary>
public enum OrderKind
{
    Errand = 0,
    Frozen = 1,
}
