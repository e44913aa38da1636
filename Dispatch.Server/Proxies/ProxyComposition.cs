using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Proxies;

/// <summary>
/// Behind HAProxy every connection comes from the balancer: the client's address is the last X-Forwarded-For entry, taken only
/// from a trusted proxy (<see cref="ProxyOptions.Trusted"/>), so the per-address rate limits, audit lines and /metrics gate see
/// the real client. One hop only: earlier entries are whatever the client wrote and are never believed.
/// </summary>
internal static class ProxyComposition
{
    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    public static IServiceCollection AddDispatchProxies(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ProxyOptions>().Bind(config.GetSection(ProxyOptions.Section))
            .Validate(o => o.Trusted.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Proxies:Trusted holds a value that is not a CIDR network (e.g. 10.0.0.0/8).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = 1;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            var trusted = proxies.Value.Trusted.Length == 0 ? Loopback : proxies.Value.Trusted;
            foreach (var network in trusted) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address.</summary>
    public static void UseDispatchProxies(this WebApplication app) => app.UseForwardedHeaders();
}
