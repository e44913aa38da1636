using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Bench.Scale;

/// <summary>
/// Builds the server's container without the SignalR Redis backplane: the server registers it after any configure
/// callback runs, so it is taken out here, where the whole service list is final, leaving SignalR's own in-process
/// <see cref="DefaultHubLifetimeManager{THub}"/>. Everything else is the server as composed.
/// </summary>
public sealed class LocalHubsFactory(bool development) : IServiceProviderFactory<IServiceCollection>
{
    public IServiceCollection CreateBuilder(IServiceCollection services) => services;

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
    {
        for (var i = containerBuilder.Count - 1; i >= 0; i--)
        {
            var d = containerBuilder[i];
            if (d.ServiceType == typeof(HubLifetimeManager<>) && d.ImplementationType != typeof(DefaultHubLifetimeManager<>)) containerBuilder.RemoveAt(i);
        }
        return containerBuilder.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = development, ValidateOnBuild = development });
    }
}
