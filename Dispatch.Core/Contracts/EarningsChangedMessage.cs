namespace Dispatch.Core.Contracts;

/// <summary>
/// Server → courier: the courier's money moved (<paramref name="Reason"/>: delivered, adjusted, withdrawal-requested,
/// withdrawal-approved, withdrawal-rejected), with the balance after it. The app calls GetEarnings for the days, weeks and orders.
/// </summary>
public sealed record EarningsChangedMessage(string Reason, Guid? OrderId, Guid? WithdrawalId, CourierBalance Balance);
