using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Customers;

/// <summary>Customer sign-in by phone and customer orders, bound from "Customers".</summary>
internal sealed class CustomerOptions
{
    public const string Section = "Customers";

    /// <summary>The orders.merchant_id of orders customers place themselves (the platform acts as their merchant).</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string MerchantId { get; set; } = "customers";

    /// <summary>Digits of a sign-in code.</summary>
    [Range(4, 10)]
    public int CodeDigits { get; set; } = 6;

    /// <summary>How long a sign-in code works, minutes.</summary>
    [Range(1, 60)]
    public int CodeMinutes { get; set; } = 5;

    /// <summary>Wrong tries that spend a code.</summary>
    [Range(1, 20)]
    public int CodeMaxTries { get; set; } = 5;

    /// <summary>Codes one number may be sent per <see cref="CodeWindowMinutes"/> (per address: RateLimits:CustomerCodesPerMinute).</summary>
    [Range(1, 1_000)]
    public int CodesPerNumber { get; set; } = 5;

    /// <summary>The window of <see cref="CodesPerNumber"/>, minutes.</summary>
    [Range(1, 24 * 60)]
    public int CodeWindowMinutes { get; set; } = 60;

    /// <summary>Saved addresses per customer.</summary>
    [Range(1, 1_000)]
    public int MaxAddresses { get; set; } = 20;
}
