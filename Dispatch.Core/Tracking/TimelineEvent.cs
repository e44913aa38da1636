using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>
/// One recorded step of an order, as <see cref="CustomerView"/> reads it: the status it left the order in, when, and its
/// note. The note is only ever used to recognise a step, never shown.
/// </summary>
public sealed record TimelineEvent(OrderStatus Status, DateTimeOffset At, string? Note);
