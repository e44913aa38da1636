using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Webhooks;

/// <summary>How merchant webhooks are sent. Section "Webhooks".</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Whether webhooks may go to loopback and private addresses (checked after DNS, on the address connected to). Unset:
    /// only in Development (the demo and the tests post to 127.0.0.1); elsewhere public addresses only.
    /// </summary>
    public bool? AllowPrivateAddresses { get; set; }

    /// <summary>One POST may take this long before it counts as failed, seconds.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Deliveries sent at once by a node (each to a different endpoint and order; one order's go one after the other).</summary>
    [Range(1, 512)]
    public int Parallelism { get; set; } = 16;

    /// <summary>The most deliveries a node claims in one round trip.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>The delay before the second attempt is drawn from [0, this], milliseconds; the bound doubles per further attempt.</summary>
    [Range(1, 3_600_000)]
    public int RetryFirstMilliseconds { get; set; } = 5_000;

    /// <summary>The bound of the retry delay never exceeds this, seconds.</summary>
    [Range(1, 86_400)]
    public int RetryMaxSeconds { get; set; } = 3_600;

    /// <summary>Attempts before a delivery is dead-lettered (then only a redelivery sends it again).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 16;

    /// <summary>Besides being woken when deliveries are queued on this node, the sender looks for due work this often, milliseconds.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>Delivered deliveries stay in the log this long, days (dead ones stay until redelivered or their endpoint is deleted).</summary>
    [Range(1, 3_650)]
    public int KeepDeliveredDays { get; set; } = 7;

    /// <summary>
    /// After a secret is rotated, the old one also signs for this long, seconds (a rotation may ask for less or more, up to a
    /// week): the receiver switches to the new secret meanwhile, without refusing a delivery.
    /// </summary>
    [Range(0, WebhookCoordinator.MaxOverlapSeconds)]
    public int SecretOverlapSeconds { get; set; } = 86_400;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>How long a claim holds a delivery: its wait for a free slot and the POST, with room; a node that died lets go after it.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(TimeoutSeconds * 3 + 30);
}
