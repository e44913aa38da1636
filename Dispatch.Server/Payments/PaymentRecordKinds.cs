namespace Dispatch.Server.Payments;

/// <summary>The kinds of rows in the payments table.</summary>
internal static class PaymentRecordKinds
{
    /// <summary>A try started at a provider.</summary>
    public const string Start = "start";

    /// <summary>A provider's notification (or the generic callback) about a try.</summary>
    public const string Notice = "notice";
}
