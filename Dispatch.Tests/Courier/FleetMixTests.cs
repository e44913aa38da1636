extern alias CourierApp;

using Dispatch.Core.Couriers;
using CourierApp::Dispatch.Courier.Simulation;

namespace Dispatch.Tests.Courier;

/// <summary>The simulated fleet's make-up, with and without walkers (infra/chaos.sh runs without them).</summary>
public sealed class FleetMixTests
{
    [Fact]
    public void Without_walkers_their_share_rides_bicycles_and_everything_else_is_drawn_the_same()
    {
        var with = new Random(7);
        var without = new Random(7);
        var walkersSeen = 0;
        for (var i = 0; i < 2000; i++)
        {
            var a = FleetMix.Pick(with);
            var b = FleetMix.Pick(without, walkers: false);
            Assert.Equal(a.Equipment, b.Equipment);
            Assert.NotEqual(Vehicle.Walking, b.Vehicle);
            if (a.Vehicle == Vehicle.Walking)
            {
                walkersSeen++;
                Assert.Equal(Vehicle.Bicycle, b.Vehicle);
            }
            else
            {
                Assert.Equal(a.Vehicle, b.Vehicle);
            }
        }
        Assert.InRange(walkersSeen, 100, 300); // about a tenth walk by default, so the test compares real walkers
    }
}
