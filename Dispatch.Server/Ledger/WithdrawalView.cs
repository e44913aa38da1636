namespace Dispatch.Server.Ledger;

public sealed record WithdrawalView(Guid Id, Guid CourierId, long AmountCents, string Currency, WithdrawalState State, DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt, string? PayoutReference, string? Reason)
{
    public static WithdrawalView Of(WithdrawalRecord w) =>
        new(w.Id, w.CourierId, w.AmountCents, w.Currency, w.State, w.RequestedAt, w.DecidedAt, w.PayoutReference, w.Reason);
}
