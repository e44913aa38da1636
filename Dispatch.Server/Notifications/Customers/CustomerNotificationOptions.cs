using System.ComponentModel.DataAnnotations;
using Dispatch.Core.Notifications;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>Messages to customers off the tracking page (docs/notifications.md). Section "Notifications".</summary>
internal sealed class CustomerNotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The adapter messages go through: Log (the demo), HttpSms, WeChatTemplate or Smtp.</summary>
    public CustomerChannel Channel { get; set; } = CustomerChannel.Log;

    /// <summary>Where customers open their tracking link: messages say {PublicBaseUrl}/track/{token}.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The language of an order created without customerLanguage.</summary>
    public string DefaultLanguage { get; set; } = CustomerLanguages.English;

    /// <summary>Besides being woken by new messages, the sender looks for due ones this often, milliseconds.</summary>
    [Range(50, 60_000)]
    public int SendPollMilliseconds { get; set; } = 1_000;

    /// <summary>Messages claimed at a time by one node.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Tries before a message is marked failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Pause after the first failed try, seconds; doubled after each further one.</summary>
    [Range(1, 3_600)]
    public int RetryFirstSeconds { get; set; } = 10;

    /// <summary>A claimed message is another node's to retry after this, seconds (a node that died while sending).</summary>
    [Range(10, 3_600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>How often the delay sweep looks for late orders, seconds.</summary>
    [Range(1, 3_600)]
    public int DelaySweepSeconds { get; set; } = 30;

    /// <summary>An order is late when its current ETA is past the promise made at accept by more than this, minutes.</summary>
    [Range(1, 240)]
    public int DelayThresholdMinutes { get; set; } = 10;

    /// <summary>An order is late when its courier sent no position for longer than this, minutes.</summary>
    [Range(1, 240)]
    public int SilentCourierMinutes { get; set; } = 5;

    public QuietNightOptions QuietNight { get; set; } = new();

    public HttpSmsOptions HttpSms { get; set; } = new();

    public WeChatTemplateOptions WeChat { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();

    public bool DefaultLanguageIsSupported() => CustomerLanguages.Normalize(DefaultLanguage) == DefaultLanguage;
}
