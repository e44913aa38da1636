using Dispatch.Server;
using Dispatch.Server.Schema;

if (args is ["migrate", .. var migrateArgs])
{
    // The deploy step (infra/migrate.sh): migrations applied or undone, nothing started.
    return await MigrateCommand.RunAsync(migrateArgs);
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
internal partial class Program;
