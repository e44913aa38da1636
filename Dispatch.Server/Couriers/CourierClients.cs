using Dispatch.Core.Contracts;
using Dispatch.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Couriers;

/// <summary>The courier hub's clients behind <see cref="ICourierClients"/>: a courier is the hub's user, named by the token's <c>sub</c> (their id).</summary>
internal sealed class CourierClients(IHubContext<CourierHub, ICourierClient> hub) : ICourierClients
{
    public ICourierClient Courier(Guid courierId) => hub.Clients.User(courierId.ToString());

    public ICourierClient Connection(string connectionId) => hub.Clients.Client(connectionId);
}
