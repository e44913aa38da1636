namespace Dispatch.Core.Orders;

/// <summary>What a courier's movement means for an order they carry. Flags, so a set of them can be remembered.</summary>
[Flags]
#pragma warning disable CA1711 // "Milestone" is the domain word, not a flags-suffix accident
public enum Milestone
{
    None = 0,

    /// <summary>Left the pickup with the goods: PickedUp → InTransit.</summary>
    LeftPickup = 1,

    /// <summary>Close to the drop-off: the customer is told to get ready (pre-arrival).</summary>
    Arriving = 2,
}
#pragma warning restore CA1711
