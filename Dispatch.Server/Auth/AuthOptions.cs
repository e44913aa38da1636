using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Auth;

/// <summary>Token settings, bound from "Auth". Secrets come from configuration (environment), never from the repo.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HMAC key for JWTs, at least 32 characters. In Development a random one is made when absent.</summary>
    [Required, MinLength(32)]
    public string SigningKey { get; set; } = "";

    /// <summary>HMAC key for customer tracking links, at least 32 characters.</summary>
    [Required, MinLength(32)]
    public string LinkSigningKey { get; set; } = "";

    public string Issuer { get; set; } = "dispatch";

    [Range(1, 24 * 30)]
    public int TokenLifetimeHours { get; set; } = 12;

    /// <summary>How long a tracking link lives after the order is placed, hours.</summary>
    [Range(1, 24 * 30)]
    public int TrackingLinkHours { get; set; } = 24;

    /// <summary>How long a tracking link keeps working after delivery or cancellation, minutes.</summary>
    [Range(0, 24 * 60)]
    public int TrackingGraceMinutes { get; set; } = 60;
}
