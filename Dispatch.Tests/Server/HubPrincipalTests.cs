using Dispatch.Server.Auth;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Tests.Server;

/// <summary>
/// What a hub connection keeps of its token for its whole life (issue 20, memory per idle connection): the claims the
/// server reads, as plain claims, not the validated token's identity with the parsed JWT and its validation claims.
/// </summary>
public sealed class HubPrincipalTests(HubUserServer server) : IClassFixture<HubUserServer>
{
    [Fact]
    public async Task A_courier_connection_keeps_its_subject_role_and_name_but_not_the_parsed_token()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("slim", 1))[0];
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue(member.CourierId.ToString(), Roles.Courier, member.Name);
        await using var courier = await server.ConnectCourierAsync(member with { Token = token });

        var user = await server.ConnectedUsers.NextAsync(what: "connected hub user");

        Assert.NotNull(user);
        Assert.Equal(["name", "role", "sub"], user.Claims.Select(c => c.Type).Order(StringComparer.Ordinal));
        Assert.Equal(member.CourierId.ToString(), user.Identity?.Name);
        Assert.True(user.IsInRole(Roles.Courier));
        Assert.True(user.Identity?.IsAuthenticated);
        Assert.IsNotType<CaseSensitiveClaimsIdentity>(user.Identity, exactMatch: false);
        // The courier can still act as themselves: the hub reads sub for every call.
        await courier.GoOnlineAsync();
    }
}
