using Dispatch.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// One more server node on Kestrel (127.0.0.1, random port), sharing a fixture's database, Redis prefix and secrets: a second
/// node of the same deployment, or a new version of the app started on an older database (with other settings).
/// </summary>
public sealed class ExtraNode : IAsyncDisposable
{
    /// <summary>What a node of the same deployment shares with the fixture's node.</summary>
    private static readonly string[] SharedSettings =
    [
        "ConnectionStrings:Postgres", "ConnectionStrings:Redis", "Dispatch:RedisPrefix", "Auth:SigningKey", "Auth:LinkSigningKey",
        "Payments:CallbackSecret", "Privacy:KeyEncryptionKey", "Privacy:PhoneHashKey",
    ];

    private readonly WebApplication _app;

    private ExtraNode(WebApplication app, Uri baseUrl)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The fixture's settings, with <paramref name="overrides"/> on top.</summary>
    public static Dictionary<string, string?> SettingsOf(DispatchServer server, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var config = server.Services.GetRequiredService<IConfiguration>();
        var settings = SharedSettings.ToDictionary(k => k, k => config[k]);
        settings["Database:Migrate"] = "true";
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }

    public static async Task<ExtraNode> StartAsync(Dictionary<string, string?> settings, string environment = "Development")
    {
        string[] args = ["--environment", environment, "--urls", "http://127.0.0.1:0"];
        if (DispatchServer.ServerProjectFolder() is { } contentRoot) args = [.. args, "--contentRoot", contentRoot];
        var app = ServerComposition.Build(args, b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ExtraNode(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
