using Dispatch.Core.Contracts;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace Dispatch.Courier.Client;

/// <summary>Tuning for <see cref="CourierConnection"/>. The defaults suit a phone on a flaky mobile network.</summary>
internal sealed class CourierConnectionOptions
{
    /// <summary>Most fixes kept while disconnected; when full the oldest are dropped and counted.</summary>
    public int BufferCapacity { get; init; } = 10_000;

    /// <summary>Most fixes per SendFixes call from the buffer; capped at <see cref="HubPaths.MaxFixesPerBatch"/>.</summary>
    public int MaxBatchSize { get; init; } = HubPaths.MaxFixesPerBatch;

    /// <summary>Longest wait between reconnect attempts. Attempts never stop.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs after the defaults (WebSockets only, negotiation skipped, access token) so tests can plug in a
    /// TestServer handler or re-enable negotiation.
    /// </summary>
    public Action<HttpConnectionOptions>? ConfigureHttpConnection { get; init; }
}
