using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>One real Grubhub instance from ../shared/data/mdrp, read where it lies (never copied into the repo).</summary>
public sealed class MdrpBenchmarkInstanceTests
{
    private const string InstanceName = "0o50t75s1p100";

    [Fact]
    public void Real_small_instance_is_fully_delivered_with_valid_solution_files()
    {
        var folder = FindInstance();
        if (folder is null)
        {
            // Reference data, not a service: it may be absent anywhere (also under CI=true), so this skips.
            Assert.Skip($"MDRP reference data not found: expected ../shared/data/mdrp/{InstanceName} beside the folder holding Dispatch.sln. The benchmark instances are never committed to the repo.");
        }
        string Read(string file) => File.ReadAllText(Path.Combine(folder, file));
        var instance = MdrpInstanceReader.Parse(
            Read(MdrpInstanceReader.OrdersFile), Read(MdrpInstanceReader.RestaurantsFile),
            Read(MdrpInstanceReader.CouriersFile), Read(MdrpInstanceReader.ParametersFile));

        var solution = MdrpTestInstances.RunValid(instance, new RollingHorizonOptions());
        var metrics = MdrpMetrics.Compute(solution);

        Assert.Equal(252, metrics.Orders);
        Assert.Equal(metrics.Orders, metrics.Delivered);
        Assert.InRange(metrics.MeanClickToDoor, 15, 40);
    }

    private static string? FindInstance()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) continue;
            var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mdrp", InstanceName));
            return Directory.Exists(folder) ? folder : null;
        }
        return null;
    }
}
