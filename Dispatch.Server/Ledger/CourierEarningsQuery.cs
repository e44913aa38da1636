using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Server.Common;

namespace Dispatch.Server.Ledger;

/// <summary>
/// A courier's earnings view, the one answer of both GET /api/couriers/me/earnings and the courier hub's GetEarnings:
/// balance, the window's days and weeks, its orders' fees and the last withdrawals. A bad range is a failure naming the field.
/// </summary>
internal sealed partial class CourierEarningsQuery(LedgerReads reads, WithdrawalCoordinator withdrawals, ILogger<CourierEarningsQuery> logger)
{
    public const int Withdrawals = 20;

    public async Task<Outcome<CourierEarningsView>> ForCourierAsync(Guid courierId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var (window, error) = EarningsWindow.For(from, to, reads.Today());
        if (window is null)
        {
            LogRefused(logger, courierId, error!);
            return Failure.BadRequest("from", error!);
        }
        return await reads.EarningsAsync(courierId, window, await withdrawals.ListAsync(courierId, null, Withdrawals, ct), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Earnings of courier {CourierId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid courierId, string reason);
}
