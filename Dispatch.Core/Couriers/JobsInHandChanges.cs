using Dispatch.Core.Contracts;

namespace Dispatch.Core.Couriers;

/// <summary>
/// A courier's jobs in hand are read a moment before they are sent: a job given, taken or stepped in that moment can reach
/// the courier first and be undone by the older snapshot. So the sender reads again once it has sent, and sends again to
/// each courier whose jobs differ from what they were sent; this says whether they do.
/// </summary>
public static class JobsInHandChanges
{
    /// <summary>
    /// Whether <paramref name="read"/> holds other orders, or the same orders in other statuses, than <paramref name="sent"/>
    /// (order does not matter; routes, stops and receipts have pushes of their own).
    /// </summary>
    public static bool Differ(IReadOnlyCollection<ActiveJob> sent, IReadOnlyCollection<ActiveJob> read) =>
        sent.Count != read.Count || !sent.Select(j => (j.OrderId, j.Status)).ToHashSet().SetEquals(read.Select(j => (j.OrderId, j.Status)));
}
