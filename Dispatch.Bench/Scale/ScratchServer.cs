using System.Security.Cryptography;
using Dispatch.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Bench.Scale;

/// <summary>
/// The server in this process (Development, Kestrel on a free loopback port) on a scratch database and Redis prefix of
/// its own: <see cref="CreateDatabaseAsync"/> once, <see cref="StartAsync"/> per configuration, <see cref="DropAsync"/> at the end.
/// </summary>
public sealed class ScratchServer(string name)
{
    private readonly string _admin = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set: run the infra/bench-*.sh wrapper, or source .data/services.env first.");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    // One set of privacy keys for every start: the database's Data Protection key ring is encrypted with the first.
    private readonly string _privacyKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly string _phoneKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public string Database => $"dispatch_bench_{name}_{_suffix}";

    public string Prefix => $"bench-{name}-{_suffix}";

    public async Task CreateDatabaseAsync() => await ExecuteAsync($"CREATE DATABASE {Database} TEMPLATE template1");

    /// <summary>Starts a server; <paramref name="backplane"/> false takes the SignalR Redis backplane out (<see cref="LocalHubsFactory"/>).</summary>
    public async Task<WebApplication> StartAsync(bool backplane, IDictionary<string, string?>? extra = null)
    {
        string Key() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(_admin) { Database = Database }.ConnectionString,
            ["Dispatch:RedisPrefix"] = Prefix,
            ["Auth:SigningKey"] = Key(),
            ["Auth:LinkSigningKey"] = Key(),
            ["Payments:CallbackSecret"] = Key(),
            ["Privacy:KeyEncryptionKey"] = _privacyKey,
            ["Privacy:PhoneHashKey"] = _phoneKey,
            ["Database:Migrate"] = "true",
            // Thousands of watchers start from one loopback address within seconds; a city's customers come from many.
            ["RateLimits:TrackingConnectionsPerMinute"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        string[] args = ["--environment", "Development", "--urls", "http://127.0.0.1:0"];
        if (ServerFolder() is { } folder) args = [.. args, "--contentRoot", folder];
        var app = ServerComposition.Build(args, b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            if (!backplane) b.Host.UseServiceProviderFactory(new LocalHubsFactory(development: true));
        });
        await app.StartAsync();
        return app;
    }

    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>Stops the server and deletes its Redis keys.</summary>
    public async Task StopAsync(WebApplication app)
    {
        var mux = app.Services.GetRequiredService<IConnectionMultiplexer>();
        foreach (var server in mux.GetServers())
        {
            var keys = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: $"{Prefix}:*")) keys.Add(key);
            if (keys.Count > 0) await mux.GetDatabase().KeyDeleteAsync([.. keys]);
        }
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public Task DropAsync() => ScratchDatabase.DropAsync(_admin, Database, "[scratch]");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Dispatch.Server's folder (its appsettings.json: zones, defaults), found by walking up to Dispatch.sln.</summary>
    private static string? ServerFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return Path.Combine(dir.FullName, "Dispatch.Server");
        }
        return null;
    }
}
