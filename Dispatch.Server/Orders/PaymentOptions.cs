using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Orders;

/// <summary>Payment provider callback settings, bound from "Payments".</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Shared secret for the HMAC-SHA256 signature on payment callbacks, at least 32 characters.</summary>
    [Required, MinLength(32)]
    public string CallbackSecret { get; set; } = "";
}
