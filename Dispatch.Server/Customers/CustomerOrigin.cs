namespace Dispatch.Server.Customers;

/// <summary>Who placed an order in the customer app and from which quote (orders.customer_id, orders.quote_id).</summary>
public sealed record CustomerOrigin(Guid CustomerId, Guid QuoteId);
