using Dispatch.Server.Zones;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dispatch.Server.Health;

/// <summary>
/// Says which zones this node dispatches and the age of each lease, for an operator reading /health/ready. Always healthy: a
/// follower serves couriers, customers and boards as well as the leader does, so the balancer must keep sending it traffic.
/// </summary>
internal sealed class ZoneLeadershipHealthCheck(ZoneLeadership leadership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var led = leadership.LeaseAges();
        var description = led.Count == 0
            ? "This node leads no zone (another node dispatches them, or Dispatch:DispatchesZones is false)."
            : "This node dispatches " + string.Join(", ", led.Select(z => z.Zone)) + ".";
        var data = new Dictionary<string, object>
        {
            ["holder"] = leadership.Holder,
            ["leads"] = led.Select(z => new
            {
                zone = z.Zone,
                token = z.Token,
                heldSeconds = Math.Round(z.HeldFor.TotalSeconds, 1),
                renewedSecondsAgo = Math.Round(z.RenewedAgo.TotalSeconds, 1),
            }).ToList(),
        };
        return Task.FromResult(HealthCheckResult.Healthy(description, data));
    }

}
