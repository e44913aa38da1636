using Dispatch.Core.Couriers;
using Dispatch.Server;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Persistence;
using Dispatch.Server.Routing;

if (args is ["bench-routing", .. var rest])
{
    // A benchmark command, not the server: the same services (road router, in-memory graphs), nothing started.
    var zone = rest.Length > 0 ? rest[0] : "monaco";
    var vehicle = rest.Length > 1 && Enum.TryParse<Vehicle>(rest[1], ignoreCase: true, out var v) ? v : Vehicle.Scooter;
    var bench = ServerComposition.Build(["--environment", "Development"]);
    return await RoutingBenchmark.RunAsync(bench.Services, zone, vehicle);
}

if (args is ["bench-batch", .. var batchArgs])
{
    // A benchmark command: batch rounds on its own scratch database and Redis prefix, nothing started.
    return await BatchTickBenchmark.RunAsync(batchArgs);
}

if (args is ["migrate", .. var migrateArgs])
{
    // The deploy step (infra/migrate.sh): migrations applied or undone, nothing started.
    return await MigrateCommand.RunAsync(migrateArgs);
}

if (args is ["bench-auth", .. var authArgs])
{
    // A benchmark command: the CPU cost of bearer-token validation and signed-request checks, nothing started.
    return await Dispatch.Server.Accounts.AuthBenchmark.RunAsync(authArgs);
}

if (Dispatch.Server.Accounts.AccountCommands.Handles(args))
{
    // An account verb (create-admin, demo-accounts), not the server.
    return await Dispatch.Server.Accounts.AccountCommands.RunAsync(args, Console.In, Console.IsInputRedirected, Console.Out);
}

var app = ServerComposition.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can name the assembly.</summary>
public partial class Program;
