using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>A server whose location queues hold a couple of kilobytes, so a test flooding fixes reaches the bound at once.</summary>
public sealed class TinyQueueServer : DispatchServer
{
    public const int QueueBytes = 2_048;

    public LogLines Log { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Dispatch:LocationQueueBytes"] = QueueBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}
