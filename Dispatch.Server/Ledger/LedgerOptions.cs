using System.ComponentModel.DataAnnotations;
using Dispatch.Core.Ledger;

namespace Dispatch.Server.Ledger;

/// <summary>The earnings ledger's rules (section Ledger). Amounts in minor units of Dispatch:Currency.</summary>
internal sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Added to the courier's fee for an order that needs the cold chain.</summary>
    [Range(0, 100_000)]
    public long ColdChainSurchargeCents { get; set; } = 150;

    /// <summary>Added to the courier's fee for a buy-for-me or multi-stop errand.</summary>
    [Range(0, 100_000)]
    public long ErrandSurchargeCents { get; set; } = 100;

    /// <summary>
    /// When a delivered order is refunded in full, take the fee and surcharges back from the courier (true), or let the
    /// courier keep what they earned and the platform bear the refund (false, the default).
    /// </summary>
    public bool ReverseFeeOnFullRefund { get; set; }

    /// <summary>
    /// Quartz cron expression of the settlement run (in Dispatch:EarningsTimeZone): each run closes, in every zone's time
    /// zone, the last local day that is over. Hourly, so each zone's day closes within the hour after its own midnight.
    /// </summary>
    [Required]
    public string SettlementCron { get; set; } = "0 30 * * * ?";

    public Surcharges Surcharges => new(ColdChainSurchargeCents, ErrandSurchargeCents);
}
