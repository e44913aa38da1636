using System.Diagnostics;
using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>A server whose database holds Monaco's real road network, imported by infra/import-osm.sh as an operator would.</summary>
public class RoadNetworkServer : DispatchServer
{
    public const string Extract = "osm/graphhopper-monaco.osm.gz";

    public string? NoNetworkReason { get; private set; }

    /// <summary>
    /// Before pickup customers see a coarse position, so a ride of a few hundred metres reaches them only through the ETA;
    /// here an ETA 5 s off the countdown is news (default 60 s), so route tests see every step. Rate limits: TrackingPushRateTests.
    /// </summary>
    protected override void Configure(Dictionary<string, string?> settings) => settings["Dispatch:TrackingEtaChangeSeconds"] = "5";

    /// <summary>What infra/import-osm.sh imports: an extract path, or a grid:… spec; null (with a reason) when unavailable.</summary>
    protected virtual string? NetworkSource() => RepoPaths.SharedData(Extract);

    protected override async Task AfterStartAsync()
    {
        var extract = NetworkSource();
        if (extract is null)
        {
            NoNetworkReason = $"reference data ../shared/data/{Extract} is absent; routing tests need a real road network";
            return;
        }
        var pg = new NpgsqlConnectionStringBuilder(ServiceSettings.Postgres);
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root(), "infra", "import-osm.sh"), "monaco", extract])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DISPATCH_PG_DB"] = DatabaseName;
        start.Environment["DISPATCH_PG_PORT"] = pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"import-osm.sh failed ({process.ExitCode}): {await output}{await errors}");
        ImportSummary = (await output).Trim();
    }

    public string ImportSummary { get; private set; } = "";

    public void RequireNetwork()
    {
        RequireServices();
        if (NoNetworkReason is not null) Assert.Skip(NoNetworkReason);
    }
}
