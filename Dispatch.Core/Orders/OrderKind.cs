namespace Dispatch.Core.Orders;

/// <summary>
/// What is being delivered. Frozen goods need cold-chain equipment; hot food (a restaurant meal) must arrive hot, so
/// it never rides in the same trip as frozen goods.
/// </summary>
public enum OrderKind
{
    Errand = 0,
    Frozen = 1,
    HotFood = 2,
}
