using Dispatch.Server.Auth;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Accounts;

/// <summary>
/// Command-line verbs of the server, run instead of it:
/// <c>create-admin &lt;username&gt;</c> creates or resets an admin (password from standard input, else generated and printed);
/// <c>demo-accounts</c> (Development) creates or resets the demo's admin, dispatcher, merchant and courier.
/// The rest of the arguments configure as they do the server (e.g. --environment, --ConnectionStrings:Postgres=…).
/// </summary>
internal static class AccountCommands
{
    public static bool Handles(string[] args) => args is ["create-admin", ..] or ["demo-accounts", ..];

    public static async Task<int> RunAsync(string[] args, TextReader input, bool inputRedirected, TextWriter output)
    {
        switch (args)
        {
            case ["create-admin", var username, .. var rest] when !username.StartsWith('-'):
            {
                string? password = null;
                if (inputRedirected)
                {
                    password = (await input.ReadLineAsync())?.TrimEnd('\r');
                    if (string.IsNullOrEmpty(password))
                    {
                        await output.WriteLineAsync("create-admin: standard input is empty; pipe the password in, or run without input to have one generated.");
                        return 2;
                    }
                }
                await using var app = await StartAsync(rest);
                return await SaveAsync(app, new AccountSpec(username, Roles.Admin, password), output, "create-admin") ? 0 : 1;
            }
            case ["demo-accounts", .. var rest]:
            {
                await using var app = await StartAsync(rest);
                if (!app.Environment.IsDevelopment())
                {
                    await output.WriteLineAsync("demo-accounts: only in the Development environment (it prints passwords for well-known usernames).");
                    return 2;
                }
                var zones = app.Services.GetRequiredService<IOptions<DispatchOptions>>().Value.Zones.Select(z => z.Name).ToArray();
                await using var find = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select id from couriers where handle = 'demo-0001'");
                var courier = await find.ExecuteScalarAsync() as Guid?;
                var ok = await SaveAsync(app, new AccountSpec("admin", Roles.Admin), output)
                    & await SaveAsync(app, new AccountSpec("dispatcher", Roles.Dispatcher, DisplayName: "Demo dispatcher", Zones: zones), output)
                    & await SaveAsync(app, new AccountSpec("shop-1", Roles.Merchant, DisplayName: "Shop 1", Organisation: "shop-1"), output);
                if (courier is not null) ok &= await SaveAsync(app, new AccountSpec("courier-1", Roles.Courier, CourierId: courier), output);
                return ok ? 0 : 1;
            }
            default:
                await output.WriteLineAsync("usage: Dispatch.Server create-admin <username> [server settings…]   (password on standard input, or generated)");
                await output.WriteLineAsync("       Dispatch.Server demo-accounts [server settings…]              (Development only)");
                return 2;
        }
    }

    /// <summary>The server's services, not started: only what the verb resolves is created. Tables are migrated where the server would.</summary>
    private static async Task<WebApplication> StartAsync(string[] args)
    {
        // Standard output carries only the verb's answer (run.sh prints it); warnings and errors go to standard error.
        var app = ServerComposition.Build(args, b => b.Logging.ClearProviders()
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddFilter((string? _, LogLevel level) => level >= LogLevel.Warning));
        // The whole schema, not only the accounts tables (the verbs' audit rows go to audit_log), as the server's start-up
        // migrates it (Schema/DatabaseMigrationService).
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Database:Migrate"))
        {
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DispatchDbContext>>().CreateDbContextAsync())
                await db.Database.MigrateAsync();
            await app.Services.MigrateAccountsAsync(CancellationToken.None);
        }
        return app;
    }

    private static async Task<bool> SaveAsync(WebApplication app, AccountSpec spec, TextWriter output, string verb = "demo-accounts")
    {
        await using var scope = app.Services.CreateAsyncScope();
        Common.Outcome<AccountCreated> outcome;
        try
        {
            outcome = await scope.ServiceProvider.GetRequiredService<AccountsCoordinator>()
                .CreateOrResetAsync(spec, Audit.AuditActor.CommandLine(verb), CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            await output.WriteLineAsync($"{spec.Username}: the database is not migrated ({e.MessageText}); run `Dispatch.Server migrate` (infra/migrate.sh) first.");
            return false;
        }
        if (!outcome.Ok)
        {
            await output.WriteLineAsync($"{spec.Username}: {outcome.Failure!.Detail}");
            return false;
        }
        var saved = outcome.Value!;
        var password = saved.Password is null ? "(the one given)" : saved.Password;
        await output.WriteLineAsync($"{(saved.Created ? "created" : "reset  ")} {saved.Role,-10} {saved.Username,-12} password {password}");
        return true;
    }
}
