using Dispatch.Core.Orders;

namespace Dispatch.Server.Orders;

/// <summary>
/// One order a batch moves through <paramref name="Triggers"/> in turn, from the status and version it was read with
/// (<paramref name="Order"/>); <paramref name="Note"/> goes with its last move's timeline row and its outbox event.
/// </summary>
internal sealed record BatchMove(OrderHead Order, IReadOnlyList<OrderTrigger> Triggers, string? Note);
