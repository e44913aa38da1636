namespace Dispatch.Courier.Cli;

/// <summary>Entry point of the runner CLI: parses the command, wires Ctrl-C, maps failures to advice and exit codes.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Dispatch runner app

        Usage:
          dispatch-courier run --server URL --token JWT [--lat D --lon D] [--equipment none|insulatedBox|activeCooler]
                               [--vehicle walking|bicycle|eBike|scooter|car] [--capacity N] [--auto-accept]
              One courier: goes online, reports a fix every 2 s, prints offers.
          dispatch-courier simulate --server URL --couriers N --orders-per-minute M [--duration SECONDS]
                               [--payment-secret S] [--seed K] [--connections-per-second R] [--prefix sim] [--pins FILE]
                               [--orders-for SECONDS] [--no-walkers]
              A fleet that behaves like people plus a stream of paid orders (server in Development).
              --pins keeps the customers' delivery PINs in FILE, so a later run can finish this run's deliveries.
              --orders-for stops placing orders after SECONDS while the couriers go on working (infra/chaos.sh).
              --no-walkers puts the walkers' tenth of the fleet on bicycles, so the last delivery ends in minutes.
          dispatch-courier bench --server URL --couriers N --seconds S [--fixes-per-batch B]
                               [--connections-per-second R] [--seed K]
              Load test of the location hot path; ends with a BENCH summary line.
          dispatch-courier mdrp --instance FOLDER --out FOLDER [--policy rolling-horizon|greedy|greedy-bundle|live|live-server] [--summary FILE]
                              [--interval M] [--max-bundle N] [--commit-slack M]
              Offline: the Grubhub meal-delivery benchmark in the simulator; writes solution files, prints metrics.

          dispatch-courier bench-solver [--dense 1000] [--orders 1000 --couriers 5000 --candidates 20] [--runs 3] [--seed 7]
              Offline: the dispatch core's assignment solver against Google OR-Tools on the same random instances.

        --server defaults to $DISPATCH_SERVER, then http://localhost:5000.
        --payment-secret defaults to $Payments__CallbackSecret.
        Ctrl-C stops cleanly and prints a summary.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        CliArgs parsed;
        try
        {
            parsed = CliArgs.Parse(args);
        }
        catch (CliUsageException ex)
        {
            return UsageError(ex.Message);
        }
        if (parsed.Command is null or "help" || parsed.Has("help"))
        {
            Console.WriteLine(UsageText);
            return parsed.Command is null && !parsed.Has("help") ? Usage : Ok;
        }

        using var stop = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // First Ctrl-C stops cleanly; a second one is left to the runtime and ends the process.
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("Stopping… (Ctrl-C again to quit at once)");
            stop.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        Uri? server = null;
        try
        {
            server = parsed.GetServer();
            return parsed.Command switch
            {
                "run" => await RunCommand.ExecuteAsync(parsed, server, stop.Token),
                "simulate" => await SimulateCommand.ExecuteAsync(parsed, server, stop.Token),
                "bench" => await BenchCommand.ExecuteAsync(parsed, server, stop.Token),
                "mdrp" => await MdrpCommand.ExecuteAsync(parsed, stop.Token),
                "bench-solver" => await SolverBenchCommand.ExecuteAsync(parsed),
                _ => UsageError($"Unknown command '{parsed.Command}'. Commands: run, simulate, bench, mdrp, bench-solver."),
            };
        }
        catch (CliUsageException ex)
        {
            return UsageError(ex.Message);
        }
        catch (CommandFailedException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped before the run started.");
            return Failed;
        }
        catch (Exception ex) when (server is not null)
        {
            Console.Error.WriteLine($"error: {ServerErrors.Describe(ex, server) ?? ex.ToString()}");
            return Failed;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("Run with --help for usage.");
        return Usage;
    }
}
