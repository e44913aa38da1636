namespace Dispatch.Core.Contracts;

/// <summary>A courier's money: balance, the last days and weeks (local to <paramref name="TimeZone"/>), the last orders' fees, and their withdrawals.</summary>
public sealed record CourierEarningsView(Guid CourierId, CourierBalance Balance, string TimeZone, IReadOnlyList<EarningsPeriod> Days,
    IReadOnlyList<EarningsPeriod> Weeks, IReadOnlyList<OrderEarnings> Orders, IReadOnlyList<WithdrawalView> Withdrawals);
