namespace Dispatch.Server.Customers;

/// <summary>A page of a customer's orders, newest first; <see cref="NextBefore"/> asks for the next page (null: the last).</summary>
internal sealed record CustomerOrderPage(CustomerOrderSummary[] Orders, long? NextBefore);
