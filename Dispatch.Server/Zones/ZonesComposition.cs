namespace Dispatch.Server.Zones;

/// <summary>Wires the zones: the catalogue, the leases and this node's leadership of each zone (with its fencing token).</summary>
internal static class ZonesComposition
{
    public static IServiceCollection AddZones(this IServiceCollection services)
    {
        services.AddSingleton<ZoneCatalog>();
        services.AddHostedService(sp => sp.GetRequiredService<ZoneCatalog>());
        services.AddSingleton<ZoneLeases>();
        services.AddSingleton<ZoneLeadership>();
        services.AddHostedService<ZoneLeadershipService>();
        return services;
    }
}
