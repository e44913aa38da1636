using Dispatch.Core.Orders;

namespace Dispatch.Server.Orders;

/// <summary>One order moved by a batch: it was <paramref name="From"/> and is now <paramref name="To"/>.</summary>
internal sealed record BatchMove(OrderHead Order, OrderStatus From, OrderStatus To, string? Note);
