using System.Text.RegularExpressions;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every <c>BackgroundService</c> of the server runs its work through <c>Common/ResilientLoop</c>: an exception escaping
/// <c>ExecuteAsync</c> stops the host (the default behaviour), and a loop's own catch of the exceptions it expects leaves
/// every other one free to do that. A scan of the sources, like <see cref="OrderTransitionsOnlyTests"/>.
/// </summary>
public sealed partial class ResilientLoopsOnlyTests
{
    [Fact]
    public void Every_background_service_runs_on_a_resilient_loop()
    {
        var server = Path.Combine(RepoPaths.Root(), "Dispatch.Server");
        var services = BackgroundServices(server).ToList();
        Assert.True(services.Count >= 15, $"The scan found only {services.Count} background services; is it still reading the right files?");
        var bare = services.Where(s => !RunsOnResilientLoop(s.Text)).Select(s => s.File).ToList();
        Assert.True(bare.Count == 0,
            "Run the work of these background services through ResilientLoop.RunAsync (counted, logged, backed off, never stopping the host): "
            + string.Join(", ", bare));
    }

    [Theory]
    [InlineData("internal sealed class A(ResilientLoop loops) : BackgroundService\n{\n    protected override Task ExecuteAsync(CancellationToken t) => loops.RunAsync(\"a\", \"doing a\", Next, Work, t);\n}", true)]
    [InlineData("internal sealed class B : BackgroundService\n{\n    protected override Task ExecuteAsync(CancellationToken t) =>\n        _loops.RunAsync(\"b\", \"doing b\", Next, Work, t);\n}", true)]
    [InlineData("internal sealed class C : BackgroundService\n{\n    protected override async Task ExecuteAsync(CancellationToken t)\n    {\n        while (!t.IsCancellationRequested)\n        {\n            try { await WorkAsync(t); } catch (NpgsqlException) { }\n        }\n    }\n}", false)]
    public void The_scan_tells_a_resilient_loop_from_a_bare_one(string code, bool resilient) =>
        Assert.Equal(resilient, RunsOnResilientLoop(code));

    private static IEnumerable<(string File, string Text)> BackgroundServices(string root)
    {
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(path);
            if (DerivesFromBackgroundService().IsMatch(text)) yield return (relative, text);
        }
    }

    private static bool RunsOnResilientLoop(string text) => LoopRun().IsMatch(text);

    [GeneratedRegex(@"\)\s*:\s*BackgroundService\b|class\s+\w+\s*:\s*BackgroundService\b")]
    private static partial Regex DerivesFromBackgroundService();

    [GeneratedRegex(@"\b_?loops\s*\.\s*RunAsync\(\s*""[\w-]+""")]
    private static partial Regex LoopRun();
}
