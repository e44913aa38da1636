using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>Real Grubhub instances from ../shared/data/mdrp, read where they lie (never copied into the repo).</summary>
internal static class MdrpReferenceData
{
    /// <summary>The instance, or a skip when the reference data is absent (it is not a service: also under CI=true).</summary>
    public static MdrpInstance Load(string name)
    {
        var folder = Find(name);
        if (folder is null)
        {
            Assert.Skip($"MDRP reference data not found: expected ../shared/data/mdrp/{name} beside the folder holding Dispatch.sln. The benchmark instances are never committed to the repo.");
        }
        string Read(string file) => File.ReadAllText(Path.Combine(folder, file));
        return MdrpInstanceReader.Parse(
            Read(MdrpInstanceReader.OrdersFile), Read(MdrpInstanceReader.RestaurantsFile),
            Read(MdrpInstanceReader.CouriersFile), Read(MdrpInstanceReader.ParametersFile));
    }

    private static string? Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) continue;
            var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mdrp", name));
            return Directory.Exists(folder) ? folder : null;
        }
        return null;
    }
}
