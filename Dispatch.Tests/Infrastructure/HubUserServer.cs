using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Infrastructure;

/// <summary>A server with a test-only hub filter that records the user each hub connection keeps for its life.</summary>
public sealed class HubUserServer : DispatchServer
{
    public Inbox<ClaimsPrincipal?> ConnectedUsers { get; } = new();

    protected override void ConfigureBuilder(WebApplicationBuilder builder) =>
        builder.Services.Configure<HubOptions>(o => o.AddFilter(new UserRecorder(ConnectedUsers)));

    private sealed class UserRecorder(Inbox<ClaimsPrincipal?> users) : IHubFilter
    {
        public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            users.Add(context.Context.User);
            return next(context);
        }
    }
}
