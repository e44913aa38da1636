using Dispatch.Core.Couriers;

namespace Dispatch.Server.Fleet;

/// <summary>
/// Told of couriers whose position, load or online state changed (<see cref="CourierChanges"/>): the board and the customers'
/// tracking. Called once per flush, one call at a time, with an empty list on a quiet flush (so held-back sends go out).
/// </summary>
internal interface ICourierChangeListener
{
    Task CouriersChangedAsync(IReadOnlyList<CourierSnapshot> changed);
}
