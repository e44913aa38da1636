namespace Dispatch.Server.Tracking;

/// <summary>Wires customer tracking: the pushes each location flush makes (the signed links are Auth's TrackingLinks).</summary>
internal static class TrackingComposition
{
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton<CustomerPushes>();
        services.AddSingleton<Fleet.ICourierChangeListener, CustomerPushesOnCourierChanges>();
        // Who watches which order: this node's connections, and the nodes in Redis (pushes cross nodes only when needed).
        services.AddSingleton<LocalWatchers>();
        services.AddSingleton<WatchDirectory>();
        services.AddSingleton<TrackingSender>();
        // The features that tell customers something (orders, errands, routing) reach them through this, not the hub.
        services.AddSingleton<Hubs.ITrackingClients, TrackingClients>();
        services.AddHostedService<WatchDirectoryService>();
        return services;
    }
}
