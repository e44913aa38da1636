using System.Diagnostics;
using System.Globalization;
using Dispatch.Core.Simulation;

namespace Dispatch.Courier.Cli;

/// <summary>
/// <c>mdrp</c>: runs a dispatch policy (the rolling-horizon one by default, or one of the reference greedy ones) on
/// one Grubhub Meal Delivery Routing Problem instance in the Core simulator (virtual clock, no server), writes the
/// three solution files, checks them with the solution validator, and prints the metrics. This command does the
/// file I/O; Core only sees text.
/// </summary>
internal static class MdrpCommand
{
    public static async Task<int> ExecuteAsync(CliArgs args, CancellationToken cancellationToken)
    {
        var instanceFolder = args.Require("instance", "the folder holding orders.txt, restaurants.txt, couriers.txt and instance_parameters.txt.");
        var outFolder = args.Require("out", "the folder to write the solution files into.");
        var defaults = new RollingHorizonOptions();
        var maxBundle = args.GetIntOrNull("max-bundle", 1, 10);
        var options = defaults with
        {
            IntervalMinutes = args.GetInt("interval", defaults.IntervalMinutes, 1, 60),
            MaxBundle = maxBundle ?? defaults.MaxBundle,
            CommitSlackMinutes = args.GetInt("commit-slack", defaults.CommitSlackMinutes, 0, 1440),
            BundleReadySpreadMinutes = args.GetInt("bundle-spread", defaults.BundleReadySpreadMinutes, 0, 1440),
            SupplyHorizonMinutes = args.GetInt("supply-horizon", defaults.SupplyHorizonMinutes, 0, 1440),
            AgeWeightPercent = args.GetInt("age-weight", defaults.AgeWeightPercent, 0, 1000),
            TravelWeightPercent = args.GetInt("travel-weight", defaults.TravelWeightPercent, 0, 10000),
            ReadyHorizonMinutes = args.GetInt("ready-horizon", defaults.ReadyHorizonMinutes, 0, 1440),
            WaitHorizonMinutes = args.GetInt("wait-horizon", defaults.WaitHorizonMinutes, 1, 1440),
        };
        var policyName = args.GetString("policy") ?? "rolling-horizon";
        // For infra/bench-mdrp.sh: one tab-separated line per run, appended, at full precision.
        var summaryFile = args.GetString("summary");
        Func<MdrpInstance, IMdrpPolicy> makePolicy = policyName switch
        {
            "rolling-horizon" => _ => new RollingHorizonPolicy(options),
            "greedy" => _ => GreedyPolicy.Naive(),
            "greedy-bundle" => _ => GreedyPolicy.BundlingWithLateCommitment(),
            "live" => i => new LiveDispatchPolicy(i, maxBundle ?? LiveDispatchPolicy.BenchmarkMaxBundle),
            // The server's own bundle size (Dispatch:MaxBundle's default is this constant; the server offers a bundle as one
            // offer, accepted or declined whole): what production does, whatever --max-bundle says.
            "live-server" => i => new LiveDispatchPolicy(i, LiveDispatchPolicy.BenchmarkMaxBundle),
            _ => throw new CliUsageException($"Unknown --policy '{policyName}'. Policies: rolling-horizon (default), greedy, greedy-bundle, live (the server's batch strategy, bundles of up to {LiveDispatchPolicy.BenchmarkMaxBundle}), live-server (the same with the server's own Dispatch:MaxBundle default, {LiveDispatchPolicy.BenchmarkMaxBundle})."),
        };
        args.EnsureAllRead();

        var instance = MdrpInstanceReader.Parse(
            await ReadAsync(instanceFolder, MdrpInstanceReader.OrdersFile, cancellationToken),
            await ReadAsync(instanceFolder, MdrpInstanceReader.RestaurantsFile, cancellationToken),
            await ReadAsync(instanceFolder, MdrpInstanceReader.CouriersFile, cancellationToken),
            await ReadAsync(instanceFolder, MdrpInstanceReader.ParametersFile, cancellationToken));

        var policy = makePolicy(instance);
        var watch = Stopwatch.StartNew();
        var solution = MdrpSimulator.Run(instance, policy, options.IntervalMinutes);
        watch.Stop();

        var assignments = MdrpSolutionWriter.Assignments(solution);
        var orders = MdrpSolutionWriter.Orders(solution);
        var couriers = MdrpSolutionWriter.Couriers(solution);
        try
        {
            Directory.CreateDirectory(outFolder);
            await File.WriteAllTextAsync(Path.Combine(outFolder, MdrpSolutionWriter.AssignmentsFile), assignments, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(outFolder, MdrpSolutionWriter.OrdersFile), orders, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(outFolder, MdrpSolutionWriter.CouriersFile), couriers, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write the solution files into '{outFolder}': {ex.Message}", ex);
        }

        var problems = MdrpSolutionValidator.Validate(instance, assignments, orders, couriers);
        var m = MdrpMetrics.Compute(solution);
        // The greedy references have fixed settings; only the rolling-horizon knobs and live's bundle size are worth echoing.
        var settings = policy switch
        {
            RollingHorizonPolicy => string.Create(CultureInfo.InvariantCulture, $", max bundle {options.MaxBundle}, commit slack {options.CommitSlackMinutes} min"),
            LiveDispatchPolicy live => string.Create(CultureInfo.InvariantCulture, $", max bundle {live.MaxBundle}"),
            _ => "",
        };
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(instanceFolder)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            instance             {name}  (policy {policyName}, interval {options.IntervalMinutes} min{settings})
            orders delivered     {m.Delivered}/{m.Orders}  ({m.UndeliveredPercent:F2} % undelivered; {m.Undeliverable} undeliverable by any policy)
            click-to-door        mean {m.MeanClickToDoor:F1}  median {m.MedianClickToDoor:F0}  p90 {m.P90ClickToDoor:F0} min  (bound {m.ClickToDoorBound:F2})
            ready-to-pickup      mean {m.MeanReadyToPickup:F1} min
            overage past {instance.Parameters.TargetClickToDoorMinutes} min  mean {m.MeanOverage:F2} min
            orders per bundle    {m.OrdersPerBundle:F2}
            courier utilisation  {m.CourierUtilisation:P1}
            cost                 ${m.TotalCost:F0}  (${m.CostPerOrder:F2} per order, {m.FractionOnGuarantee:P0} of couriers on the hourly guarantee)
            solution             {(problems.Count == 0 ? "valid" : $"{problems.Count} rule violations")}, simulated in {watch.Elapsed.TotalMilliseconds:F0} ms, files in {outFolder}
            """));
        if (summaryFile is not null)
        {
            await File.AppendAllTextAsync(summaryFile, string.Create(CultureInfo.InvariantCulture,
                $"{name}\t{policyName}\t{m.Orders}\t{m.Delivered}\t{m.Undeliverable}\t{m.MeanClickToDoor:F4}\t{m.ClickToDoorBound:F4}\t{problems.Count}\t{watch.Elapsed.TotalMilliseconds:F0}\n"), cancellationToken);
        }
        foreach (var problem in problems.Take(20)) Console.Error.WriteLine($"  invalid: {problem}");
        return problems.Count == 0 ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task<string> ReadAsync(string folder, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, file);
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read '{path}': {ex.Message}. --instance must be an MDRP instance folder.", ex);
        }
    }
}
