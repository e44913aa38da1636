namespace Dispatch.Server.Persistence;

/// <summary>
/// One payment try or one notification about it (table payments): what was asked of which provider, what it said and
/// what came of it. Rows are only added, never changed, so the table is the order's payment history for an audit.
/// </summary>
internal sealed class PaymentRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>For a notification, the try it is about (the trade number given to the provider); null for a start.</summary>
    public Guid? PaymentId { get; set; }

    /// <summary><see cref="Payments.PaymentRecordKinds"/>: start or notice.</summary>
    public string Kind { get; set; } = "";

    /// <summary>sandbox, wechat, alipay or callback (the generic signed callback).</summary>
    public string Provider { get; set; } = "";

    /// <summary><see cref="Payments.PaymentOutcomes"/>: started, paid, failed, waiting, mismatch, late, refused.</summary>
    public string Outcome { get; set; } = "";

    public long? AmountCents { get; set; }

    public string? Currency { get; set; }

    /// <summary>The provider's id of the try or transaction.</summary>
    public string? ProviderRef { get; set; }

    public string Detail { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
