using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Audit;

/// <summary>Who acts, in which role, from which address: what every audit row records about the person.</summary>
internal sealed record AuditActor(string Actor, string Role, string? Address)
{
    /// <summary>A command-line verb run on the server's machine (create-admin).</summary>
    public static AuditActor CommandLine(string verb) => new(verb, "system", null);

    public static AuditActor Of(HttpContext http) => Of(http.User, http.Connection.RemoteIpAddress?.ToString());

    public static AuditActor Of(HubCallerContext context) => Of(context.User, context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString());

    private static AuditActor Of(ClaimsPrincipal? user, string? address) =>
        new(user?.FindFirstValue("sub") ?? "anonymous", user?.FindFirstValue("role") ?? user?.FindFirstValue(ClaimTypes.Role) ?? "none", address);
}
