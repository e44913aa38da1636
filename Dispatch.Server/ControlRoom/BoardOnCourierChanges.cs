using Dispatch.Core.Couriers;
using Dispatch.Server.Fleet;

namespace Dispatch.Server.ControlRoom;

/// <summary>The boards listen to the fleet: each change goes into <see cref="BoardFrames"/>, which sends each zone's frame when due.</summary>
internal sealed class BoardOnCourierChanges(BoardFrames frames) : ICourierChangeListener
{
    public Task CouriersChangedAsync(IReadOnlyList<CourierSnapshot> changed) => frames.AddAndMaybeSendAsync(changed);
}
