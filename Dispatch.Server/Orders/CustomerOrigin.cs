namespace Dispatch.Server.Orders;

/// <summary>
/// Who placed an order in the customer app and from which quote (orders.customer_id, orders.quote_id), with the quote's
/// price, which the order carries and its payment must match.
/// </summary>
internal sealed record CustomerOrigin(Guid CustomerId, Guid QuoteId, Dispatch.Core.Pricing.PriceLine[] Lines, int TotalCents, string Currency);
