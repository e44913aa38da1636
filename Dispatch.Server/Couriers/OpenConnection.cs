using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Couriers;

/// <summary>A courier hub connection open on this node, as <see cref="CourierConnections"/> keeps it.</summary>
internal readonly record struct OpenConnection(Guid CourierId, HubCallerContext Context);
