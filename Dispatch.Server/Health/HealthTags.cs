namespace Dispatch.Server.Health;

/// <summary>
/// Tags of the node's health checks. A check tagged <see cref="Ready"/> decides /health/ready: add one with
/// <c>services.AddHealthChecks().AddCheck&lt;T&gt;(name, tags: [HealthTags.Ready])</c> (zone leadership, a warm cache).
/// </summary>
internal static class HealthTags
{
    public const string Ready = "ready";
}
