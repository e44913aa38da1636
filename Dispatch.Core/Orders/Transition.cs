namespace Dispatch.Core.Orders;

/// <summary>The outcome of asking the state machine for a transition: the new status, or why not.</summary>
public readonly record struct Transition(OrderStatus From, OrderTrigger Trigger, OrderStatus? To, string? Error)
{
    public bool IsAllowed => To is not null;
}
