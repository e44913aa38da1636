using Dispatch.Server.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server whose background loops can be made to fail (<see cref="Faults"/>) and whose log is kept (<see cref="Log"/>);
/// a failing loop pauses 50 ms, doubling up to 1 s, and is logged at most once an hour. Offers expire after 2 s (loop tick 100 ms).
/// </summary>
public class FaultyLoopServer : DispatchServer
{
    public LoopFaults Faults { get; } = new();

    public LogLines Log { get; } = new();

    /// <summary>The lines the loop named <paramref name="loopName"/> logged about its failures.</summary>
    public IReadOnlyList<string> FailureLines(string loopName) =>
        [.. Log.Lines.Where(l => l.Contains(nameof(ResilientLoop), StringComparison.Ordinal) && l.Contains($"loop {loopName} failed", StringComparison.Ordinal))];

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["BackgroundLoops:BackoffFirstMilliseconds"] = "50";
        settings["BackgroundLoops:BackoffMaxSeconds"] = "1";
        settings["BackgroundLoops:LogIntervalSeconds"] = "3600";
        settings["Dispatch:OfferTimeoutSeconds"] = "2";
        settings["Dispatch:LoopIntervalMilliseconds"] = "100";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILoopFaults>(Faults);
        builder.Logging.AddProvider(Log);
    }
}
