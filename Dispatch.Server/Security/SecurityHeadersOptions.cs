using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Security;

/// <summary>Settings of the security headers on every answer, bound from "SecurityHeaders".</summary>
internal sealed class SecurityHeadersOptions
{
    public const string Section = "SecurityHeaders";

    /// <summary>
    /// Content-Security-Policy sources map tiles may load from, besides this server (the pages take a tile URL from
    /// <c>?tiles=</c> or <c>data-tile-url</c>). Default any https origin; e.g. <c>https://tile.example.org</c> to pin one.
    /// </summary>
    [Required, RegularExpression(@"^[A-Za-z0-9:/.*\- ]{1,500}$", ErrorMessage = "SecurityHeaders:TileSources must be CSP source expressions separated by spaces (letters, digits, : / . * -).")]
    public string TileSources { get; set; } = "https:";

    /// <summary>Strict-Transport-Security max-age on answers over HTTPS, seconds; 0 sends none.</summary>
    [Range(0, 2 * 365 * 24 * 3600)]
    public int HstsMaxAgeSeconds { get; set; } = 365 * 24 * 3600;
}
