using System.Security.Cryptography;

namespace Dispatch.Tests.Infrastructure;

/// <summary>The server as deployed: Production environment (no /dev helpers, no developer exception page, every secret given).</summary>
public sealed class ProductionServer : DispatchServer
{
    protected override string EnvironmentName => "Production";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Privacy:KeyEncryptionKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        settings["Privacy:PhoneHashKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    }
}
