using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Monaco's road network and customers who sign in with the code the Log adapter prints (as <see cref="CustomerServer"/>).</summary>
public sealed class CustomerRoadNetworkServer : RoadNetworkServer
{
    public LogLines Log { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Logging:LogLevel:Dispatch.Server.Notifications"] = "Information";
        settings["Logging:Console:LogLevel:Dispatch.Server.Notifications"] = "Warning";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}
