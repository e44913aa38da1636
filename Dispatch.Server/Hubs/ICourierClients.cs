using Dispatch.Core.Contracts;

namespace Dispatch.Server.Hubs;

/// <summary>
/// The runner app's connections, for the features that tell couriers something (offers, routes, cancellations, receipts,
/// earnings). The courier hub calls those features, so they reach its clients through this rather than naming the hub;
/// <c>Couriers/CourierClients</c> implements it over the hub context, so a send still crosses nodes on the Redis backplane.
/// </summary>
internal interface ICourierClients
{
    /// <summary>Every connection the courier has open, on whichever node.</summary>
    ICourierClient Courier(Guid courierId);

    /// <summary>One connection, by its SignalR connection id.</summary>
    ICourierClient Connection(string connectionId);
}
