namespace Dispatch.Server.Observability;

/// <summary>Metrics and traces, bound from the "Observability" section.</summary>
internal sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>
    /// Networks (CIDR, e.g. 10.0.0.0/8) besides loopback allowed to read /metrics; empty = loopback only. In containers,
    /// name the network Prometheus scrapes from.
    /// </summary>
    public string[] MetricsAllowFrom { get; set; } = [];

    /// <summary>OTLP endpoint (e.g. http://collector:4317) traces are exported to; empty = traces are not exported.</summary>
    public string? OtlpEndpoint { get; set; }
}
