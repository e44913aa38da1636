using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Payments;

/// <summary>Payments: the generic callback's secret, the providers, and the refund rule (docs/payments.md). Section "Payments".</summary>
internal sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Shared secret for the HMAC-SHA256 signature on payment callbacks (and the sandbox's pay links), at least 32 characters.</summary>
    [Required, MinLength(32)]
    public string CallbackSecret { get; set; } = "";

    /// <summary>The sandbox provider (pay or fail with one click); null = on in Development only. Never on for real money.</summary>
    public bool? SandboxEnabled { get; set; }

    /// <summary>Share of the price kept when an order fails after pickup (the courier did part of the work), percent 0–100.</summary>
    [Range(0, 100)]
    public int KeepPercentAfterPickup { get; set; } = 50;

    /// <summary>Besides being woken by new refunds, the refund loop looks for due ones this often, milliseconds.</summary>
    [Range(50, 60_000)]
    public int RefundPollMilliseconds { get; set; } = 2_000;

    /// <summary>Tries of a refund at the provider before it is marked failed for a person to look at.</summary>
    [Range(1, 50)]
    public int RefundAttempts { get; set; } = 8;

    /// <summary>Timeout of one call to a provider's API, seconds.</summary>
    [Range(1, 120)]
    public int ProviderTimeoutSeconds { get; set; } = 15;

    public WeChatPayOptions WeChat { get; set; } = new();

    public AlipayOptions Alipay { get; set; } = new();
}
