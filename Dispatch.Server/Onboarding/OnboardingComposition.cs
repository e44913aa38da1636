using Dispatch.Server.Audit;
using Dispatch.Server.Couriers;

namespace Dispatch.Server.Onboarding;

/// <summary>Wires courier onboarding, the per-node courier connections it evicts from, and the audit log's API.</summary>
internal static class OnboardingComposition
{
    public static IServiceCollection AddOnboarding(this IServiceCollection services)
    {
        services.AddSingleton<CourierConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<CourierConnections>());
        services.AddScoped<CourierOnboardingCoordinator>();
        return services;
    }

    public static IEndpointRouteBuilder MapOnboarding(this IEndpointRouteBuilder app) => app.MapCourierOnboardingApi().MapAuditApi();
}
