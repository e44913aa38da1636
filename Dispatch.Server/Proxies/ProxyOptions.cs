namespace Dispatch.Server.Proxies;

/// <summary>Which load balancers' X-Forwarded-For the node believes, bound from "Proxies".</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxies";

    /// <summary>
    /// Networks (CIDR, e.g. 10.0.0.0/8) of the proxies in front of the nodes; empty (the default) = loopback only (HAProxy on
    /// the same machine, as infra/haproxy.sh runs it). Set, it replaces loopback: a header from anywhere else is ignored.
    /// </summary>
    public string[] Trusted { get; set; } = [];
}
