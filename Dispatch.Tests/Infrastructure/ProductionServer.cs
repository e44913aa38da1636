namespace Dispatch.Tests.Infrastructure;

/// <summary>The server as deployed: Production environment (no /dev helpers, no developer exception page).</summary>
public sealed class ProductionServer : DispatchServer
{
    protected override string EnvironmentName => "Production";
}
