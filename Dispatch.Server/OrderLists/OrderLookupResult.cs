namespace Dispatch.Server.OrderLists;

/// <summary>The orders found, in the order asked, and the numbers not found (or not the caller's to see), as asked.</summary>
internal sealed record OrderLookupResult(OrderSearchHit[] Orders, string[] Missing);
