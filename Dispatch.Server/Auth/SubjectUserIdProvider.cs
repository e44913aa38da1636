using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Auth;

/// <summary>SignalR user id = the token's subject (the courier id), so the server can push to one courier.</summary>
internal sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => connection.User?.FindFirst("sub")?.Value;
}
