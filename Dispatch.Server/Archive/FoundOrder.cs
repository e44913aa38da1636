using Dispatch.Server.Persistence;

namespace Dispatch.Server.Archive;

/// <summary>An order as <see cref="OrderReader"/> found it, with its timeline and refunds, and whether it came from the archive.</summary>
internal sealed record FoundOrder(OrderRecord Order, List<OrderEventRecord> Events, RefundRecord[] Refunds, bool Archived);
