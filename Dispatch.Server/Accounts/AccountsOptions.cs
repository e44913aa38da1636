using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Accounts;

/// <summary>Sign-in settings, bound from "Accounts".</summary>
internal sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>How long an access token from sign-in or refresh lives, minutes; pages refresh a minute before.</summary>
    [Range(2, 120)]
    public int AccessTokenMinutes { get; set; } = 10;

    /// <summary>
    /// How often each node reads the suspended accounts, seconds: a suspension made on another node refuses the account's
    /// unexpired access tokens on this node's APIs within this time (at once on the node that made it, and on every hub).
    /// </summary>
    [Range(1, 300)]
    public int SuspensionRefreshSeconds { get; set; } = 5;

    /// <summary>How long a refresh token lives unused, days; each refresh issues a new one.</summary>
    [Range(1, 90)]
    public int RefreshTokenDays { get; set; } = 14;

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a lockout lasts, minutes.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Shortest password accepted (no character-class rules: length is what makes a password strong).</summary>
    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 10;
}
