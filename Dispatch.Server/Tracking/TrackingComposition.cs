namespace Dispatch.Server.Tracking;

/// <summary>Wires customer tracking: the live assignments, the pushes each location flush makes, and the signed links.</summary>
public static class TrackingComposition
{
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton<AssignmentBook>();
        services.AddSingleton<CustomerPushes>();
        services.AddSingleton<Fleet.ICourierChangeListener, CustomerPushesOnCourierChanges>();
        services.AddSingleton<TrackingLinks>();
        return services;
    }
}
