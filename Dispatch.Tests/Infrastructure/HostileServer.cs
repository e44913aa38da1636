using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Dispatch.Server.Auth;
using Dispatch.Server.Orders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server with two unpaid orders of two merchants (nothing dispatches them, so their rows stay still), for the hostile
/// battery: every refused call must leave <see cref="StoredStateAsync"/> exactly as it was.
/// </summary>
public sealed class HostileServer : DispatchServer
{
    /// <summary>Tables a client's call could change; hashed row by row.</summary>
    public static readonly string[] Tables = ["orders", "order_events", "offers", "couriers", "zones", "routes", "dispatch_decisions"];

    internal OrderView Order { get; private set; } = null!;

    internal OrderView OtherMerchantsOrder { get; private set; } = null!;

    protected override async Task AfterStartAsync()
    {
        Order = await CreateOrderAsync(merchant: "shop-1");
        OtherMerchantsOrder = await CreateOrderAsync(merchant: "shop-2");
    }

    /// <summary>Row count and md5 of every row (as text, sorted) of each table, computed in SQL.</summary>
    public async Task<string> StoredStateAsync()
    {
        var parts = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = Db.CreateCommand(
                $"select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from {table} t");
            parts.Add($"{table}={await command.ExecuteScalarAsync()}");
        }
        return string.Join(' ', parts);
    }

    /// <summary>A token signed with the server's key that expired an hour ago.</summary>
    public string ExpiredToken(string role, string subject)
    {
        var auth = Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(auth.Issuer, auth.Issuer, [new Claim("sub", subject), new Claim("role", role)],
            notBefore: now.AddHours(-3), expires: now.AddHours(-1), signingCredentials: new SigningCredentials(TokenIssuer.SigningKey(auth), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
