namespace Dispatch.Core.Contracts;

/// <summary>Pushes to a customer watching one order.</summary>
public interface ITrackingClient
{
    Task CourierMoved(CourierPosition position);

    Task StatusChanged(OrderStatusChanged change);

    /// <summary>A route was planned for the order (on accept) or re-planned.</summary>
    Task RouteUpdated(RouteMessage route);

    /// <summary>Pre-arrival: the courier is a minute or two away; time to come to the door.</summary>
    Task Arriving(CourierArriving arriving);

    /// <summary>A buy-for-me receipt was submitted, approved or rejected.</summary>
    Task ReceiptChanged(ReceiptChanged change);

    /// <summary>The courier did one of a multi-stop errand's stops.</summary>
    Task StopCompleted(StopCompleted completed);

    /// <summary>Pushes to this page may have been lost (Redis came back after an outage): subscribe again for a fresh snapshot.</summary>
    Task Refresh();
}
