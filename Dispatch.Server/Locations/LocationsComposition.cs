namespace Dispatch.Server.Locations;

/// <summary>Wires the location pipeline: intake, the per-node channels, the flush loop and the track-point COPY writer.</summary>
internal static class LocationsComposition
{
    public static IServiceCollection AddLocations(this IServiceCollection services)
    {
        services.AddSingleton<LocationChannels>();
        services.AddSingleton<FixIntake>();
        services.AddHostedService<LocationFlushService>();
        services.AddHostedService<TrackPointWriterService>();
        return services;
    }
}
