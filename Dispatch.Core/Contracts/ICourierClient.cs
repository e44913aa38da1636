namespace Dispatch.Core.Contracts;

/// <summary>Methods the server calls on a connected runner app.</summary>
public interface ICourierClient
{
    Task OfferReceived(OfferMessage offer);

    Task OfferWithdrawn(OfferWithdrawnMessage message);

    Task OrderCancelled(OrderCancelledMessage message);

    /// <summary>A dispatcher gave this courier an order: it is theirs now, no accept needed.</summary>
    Task JobAssigned(JobAssignedMessage message);

    /// <summary>A dispatcher moved one of this courier's orders to another courier: drop it.</summary>
    Task OrderReassigned(OrderReassignedMessage message);

    /// <summary>The customer approved or rejected this courier's over-cap receipt.</summary>
    Task ReceiptDecided(ReceiptChanged change);

    /// <summary>
    /// The planned road route of one of this courier's orders (on accept, on a re-route, after a reassignment): the path the
    /// customer's ETA assumes, to follow or to show on a map.
    /// </summary>
    Task RouteAssigned(RouteMessage route);

    /// <summary>This courier was taken offline (suspended): stop working and do not reconnect.</summary>
    Task SessionEnded(SessionEndedMessage message);

    /// <summary>
    /// Every order this courier holds now, sent after a gap in which pushes to them could be lost (Redis came back): keep these
    /// jobs and drop any other. The offers still pending for them follow as <see cref="OfferReceived"/>.
    /// </summary>
    Task JobsInHand(JobsInHandMessage message);

    /// <summary>This courier's money moved (a delivery, an adjustment, a withdrawal step): the new balance; GetEarnings for the rest.</summary>
    Task EarningsChanged(EarningsChangedMessage message);
}
