using Dispatch.Core.Couriers;
using Dispatch.Server.Fleet;

namespace Dispatch.Server.Tracking;

/// <summary>Customers' tracking listens to the fleet: each change goes to <see cref="CustomerPushes"/> (ETAs, milestones, rate-limited pushes).</summary>
internal sealed class CustomerPushesOnCourierChanges(CustomerPushes pushes) : ICourierChangeListener
{
    public Task CouriersChangedAsync(IReadOnlyList<CourierSnapshot> changed) => pushes.PushAsync(changed);
}
