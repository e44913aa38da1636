using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Server.Auth;

/// <summary>Issues signed JWTs with a subject and a role.</summary>
internal sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <param name="lifetime">How long the token lives; <see cref="AuthOptions.TokenLifetimeHours"/> when null.</param>
    /// <param name="extra">Further claims (an account's id, a dispatcher's zones).</param>
    public string Issue(string subject, string role, string? name = null, TimeSpan? lifetime = null, IEnumerable<Claim>? extra = null)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject), new("role", role) };
        if (name is not null) claims.Add(new Claim("name", name));
        if (extra is not null) claims.AddRange(extra);
        var token = new JwtSecurityToken(
            issuer: o.Issuer,
            audience: o.Issuer,
            claims: claims,
            notBefore: now.AddMinutes(-1),
            expires: now + (lifetime ?? TimeSpan.FromHours(o.TokenLifetimeHours)),
            signingCredentials: new SigningCredentials(SigningKey(o), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public static SymmetricSecurityKey SigningKey(AuthOptions o) => new(Encoding.UTF8.GetBytes(o.SigningKey));
}
