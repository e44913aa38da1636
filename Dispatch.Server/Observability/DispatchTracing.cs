using System.Diagnostics;

namespace Dispatch.Server.Observability;

/// <summary>The server's one ActivitySource, named like its Meter.</summary>
internal static class DispatchTracing
{
    public static readonly ActivitySource Source = new(DispatchMetrics.MeterName);
}
