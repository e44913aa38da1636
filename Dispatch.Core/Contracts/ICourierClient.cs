namespace Dispatch.Core.Contracts;

/// <summary>Methods the server calls on a connected runner app.</summary>
public interface ICourierClient
{
    Task OfferReceived(OfferMessage offer);

    Task OfferWithdrawn(OfferWithdrawnMessage message);

    Task OrderCancelled(OrderCancelledMessage message);
}
