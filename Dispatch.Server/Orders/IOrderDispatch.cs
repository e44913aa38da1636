namespace Dispatch.Server.Orders;

/// <summary>
/// Starts dispatch of an order once it is paid. Orders owns the question and dispatch answers it (Dispatching's
/// <c>OfferRounds</c>), so Orders does not depend on Dispatching, which depends on Orders.
/// </summary>
internal interface IOrderDispatch
{
    /// <summary>Offers the paid order (or leaves it for the zone's next batch round); returns the number of offers made.</summary>
    Task<int> DispatchAsync(Guid orderId, CancellationToken ct);
}
